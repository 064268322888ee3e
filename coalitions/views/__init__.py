"""Staff pages of the coalitions app, one module per area: dashboard, initiatives, coalitions, records."""
