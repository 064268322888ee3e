"""Query expressions the apps share."""

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(queryset: QuerySet, field: str = "pk", *, distinct: bool = False) -> Coalesce:
    """The number of rows of a correlated queryset (OuterRef), as an expression; 0 when none.

    With `distinct`, the number of distinct values of `field` among those rows instead.
    Annotated on a sliced list, PostgreSQL evaluates it for the rows left after ORDER BY and
    LIMIT only, where `Count()` would group the whole joined table first.
    """
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = queryset.order_by().annotate(n=Func(F(field), template=template)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
