// A Plotly chart that a rerun redraws in place (Plotly.react) instead of building anew; see chart_in_place.py.
// Streamlit calls the default export on the first draw and again with each new figure, on the same element.

const PLOTLY_WAIT_MS = 30000;

// Streamlit's own chart code sets window.Plotly once its Plotly bundle has run; the page asks for it (a
// hidden st.plotly_chart) whenever it draws these charts, so the page loads and evaluates Plotly once.
function plotlyLoaded() {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (window.Plotly) resolve(window.Plotly);
      else if (performance.now() - started > PLOTLY_WAIT_MS) reject(new Error("Plotly did not load"));
      else setTimeout(check, 25);
    };
    check();
  });
}

function withAlpha(colour, alpha) {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!hex) return colour;
  const [r, g, b] = hex.slice(1).map((part) => parseInt(part, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

// The look Streamlit's theme gives its own Plotly charts, read from the page's theme variables (light or
// dark), as template values: whatever the figure sets itself wins, as with st.plotly_chart.
function streamlitLook(element) {
  const style = getComputedStyle(element);
  const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  const text = read("--st-text-color", "#31333f");
  const faded = withAlpha(text, 0.6);
  const grid = read("--st-border-color-light", "rgba(49, 51, 63, 0.1)");
  const background = read("--st-background-color", "#ffffff");
  const body = read("--st-font", "sans-serif");
  const axis = { tickfont: { color: faded }, title: { font: { color: faded } }, gridcolor: grid,
    zerolinecolor: grid, tickcolor: grid, automargin: true };
  return {
    font: { color: faded, family: body },
    title: { font: { family: read("--st-heading-font", body), color: read("--st-heading-color", text) },
      xanchor: "left", x: 0, pad: { l: 4 } },
    legend: { font: { color: text }, borderwidth: 0 },
    paper_bgcolor: background,
    plot_bgcolor: background,
    hoverlabel: { bgcolor: background, bordercolor: grid, font: { color: text, family: body } },
    xaxis: { ...axis, title: { ...axis.title, standoff: 20 }, showgrid: false, zeroline: false },
    yaxis: { ...axis, title: { ...axis.title, standoff: 24 }, ticklabelposition: "outside" },
    margin: { pad: 8 },
  };
}

function themed(figure, element) {
  const layout = figure.layout || {};
  const template = layout.template || {};
  layout.template = { ...template, layout: { ...streamlitLook(element), ...(template.layout || {}) } };
  if (layout.title && typeof layout.title.text === "string") layout.title.text = `<b>${layout.title.text}</b>`;
  return { data: figure.data || [], layout };
}

function chartElement(parent) {
  let graph = parent.querySelector(":scope > .simulator-chart");
  if (!graph) {
    graph = document.createElement("div");
    graph.className = "simulator-chart";
    graph.setAttribute("role", "figure");
    parent.appendChild(graph);
  }
  return graph;
}

export default function ({ data, parentElement }) {
  const graph = chartElement(parentElement);
  graph.setAttribute("aria-label", data.alt);
  const figure = themed(JSON.parse(data.figure), parentElement);
  let replaced = false; // a newer figure, or the chart leaving the page, makes this draw moot
  let observer = null;
  plotlyLoaded()
    .then((Plotly) => {
      if (replaced) return;
      Plotly.react(graph, figure.data, figure.layout, data.config);
      let width = graph.clientWidth;
      observer = new ResizeObserver(() => {
        if (graph.clientWidth !== width && graph.clientWidth > 0) {
          width = graph.clientWidth;
          Plotly.Plots.resize(graph);
        }
      });
      observer.observe(parentElement);
    })
    .catch(() => {
      graph.textContent = `${data.alt}: this chart could not be drawn, because the browser did not load Plotly.`;
    });
  return () => {
    replaced = true;
    if (observer) observer.disconnect();
    // Called before each redraw too: only a chart that has left the page lets Plotly go.
    queueMicrotask(() => {
      if (!graph.isConnected && window.Plotly) window.Plotly.purge(graph);
    });
  };
}
