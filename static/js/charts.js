// Zoom, pan and PNG download for the server-drawn charts (stakeholder map, relationship network).
// A file, not inline code, so the strict CSP holds; without JavaScript the charts still show whole,
// link every actor and download as SVG. The toolbar is in the page, hidden until this file runs.
"use strict";

(() => {
  const STEP = 1.5;
  const MAX_ZOOM = 8;

  function setUp(figure) {
    const svg = figure.querySelector("svg");
    const tools = figure.querySelector(".chart-tools");
    if (!svg || !tools) {
      return;
    }
    const full = svg.viewBox.baseVal;
    const home = { x: full.x, y: full.y, width: full.width, height: full.height };
    let view = { ...home };

    function show() {
      svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.width} ${view.height}`);
    }
    function clamp() {
      view.width = Math.min(home.width, Math.max(home.width / MAX_ZOOM, view.width));
      view.height = view.width * (home.height / home.width);
      view.x = Math.min(home.x + home.width - view.width, Math.max(home.x, view.x));
      view.y = Math.min(home.y + home.height - view.height, Math.max(home.y, view.y));
    }
    function zoom(factor, cx = view.x + view.width / 2, cy = view.y + view.height / 2) {
      const width = view.width / factor;
      const height = view.height / factor;
      view = {
        x: cx - (cx - view.x) * (width / view.width),
        y: cy - (cy - view.y) * (height / view.height),
        width,
        height,
      };
      clamp();
      show();
    }
    function toUser(event) {
      const box = svg.getBoundingClientRect();
      return {
        x: view.x + ((event.clientX - box.left) / box.width) * view.width,
        y: view.y + ((event.clientY - box.top) / box.height) * view.height,
      };
    }

    tools.hidden = false;
    tools.querySelector("[data-zoom='in']").addEventListener("click", () => zoom(STEP));
    tools.querySelector("[data-zoom='out']").addEventListener("click", () => zoom(1 / STEP));
    tools.querySelector("[data-zoom='reset']").addEventListener("click", () => {
      view = { ...home };
      show();
    });

    // Ctrl (or ⌘) and the wheel zoom on the pointer; the plain wheel keeps scrolling the page.
    svg.addEventListener(
      "wheel",
      (event) => {
        if (!event.ctrlKey && !event.metaKey) {
          return;
        }
        event.preventDefault();
        const at = toUser(event);
        zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, at.x, at.y);
      },
      { passive: false },
    );

    // Dragging pans a zoomed chart; a drag does not follow the link it started on.
    let drag = null;
    let dragged = false;
    svg.addEventListener("pointerdown", (event) => {
      if (view.width >= home.width) {
        return;
      }
      drag = { x: event.clientX, y: event.clientY, view: { ...view } };
      dragged = false;
    });
    svg.addEventListener("pointermove", (event) => {
      if (!drag) {
        return;
      }
      const box = svg.getBoundingClientRect();
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) {
        dragged = true;
        svg.setPointerCapture(event.pointerId);
      }
      view = { ...drag.view };
      view.x -= (dx / box.width) * view.width;
      view.y -= (dy / box.height) * view.height;
      clamp();
      show();
    });
    const stop = () => {
      drag = null;
    };
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    svg.addEventListener(
      "click",
      (event) => {
        if (dragged) {
          event.preventDefault();
          dragged = false;
        }
      },
      true,
    );

    // PNG: the server's SVG file drawn onto a canvas at twice its size.
    const png = tools.querySelector("[data-png]");
    if (png) {
      png.addEventListener("click", async () => {
        const response = await fetch(png.dataset.png, { credentials: "same-origin" });
        const text = await response.text();
        const image = new Image();
        image.addEventListener("load", () => {
          const canvas = document.createElement("canvas");
          canvas.width = home.width * 2;
          canvas.height = home.height * 2;
          const context = canvas.getContext("2d");
          context.fillStyle = "#fff";
          context.fillRect(0, 0, canvas.width, canvas.height);
          context.drawImage(image, 0, 0, canvas.width, canvas.height);
          canvas.toBlob((blob) => {
            const link = document.createElement("a");
            link.href = URL.createObjectURL(blob);
            link.download = png.dataset.filename || "chart.png";
            document.body.append(link);
            link.click();
            link.remove();
            setTimeout(() => URL.revokeObjectURL(link.href), 1000);
          }, "image/png");
        });
        image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
      });
    }
  }

  function setUpAll(root) {
    for (const figure of root.querySelectorAll("figure[data-chart]")) {
      // Once each: htmx announces the whole page as well as each panel it loads.
      if (!figure.dataset.chartReady) {
        figure.dataset.chartReady = "1";
        setUp(figure);
      }
    }
  }

  document.addEventListener("DOMContentLoaded", () => setUpAll(document));
  // A panel loaded after the page (htmx: the initiative page's stakeholder map) brings its own charts.
  document.addEventListener("htmx:load", (event) => setUpAll(event.detail.elt.parentElement || document));
})();
