/* kubeprogram: the charts of the budget page and the dashboard (Chart.js), drawn from the figures the page carries
   in a <script type="application/json"> (json_script). A static file, not an inline script: the
   Content-Security-Policy runs none. Each chart is drawn only where its data block is on the page. */
(function () {
  "use strict";
  var rupiah = function (v) { return "Rp" + Math.round(v).toLocaleString("id-ID"); };

  function budget(data) {
    new Chart(document.getElementById("budget-chart"), {
      type: "bar",
      data: {labels: data.labels, datasets: [
        {label: "Pagu", data: data.amount, backgroundColor: "#9ec5fe"},
        {label: "Teralokasi", data: data.committed, backgroundColor: "#0d6efd"}
      ]},
      options: {animation: false, scales: {y: {ticks: {callback: rupiah}}},
                plugins: {tooltip: {callbacks: {label: function (c) { return c.dataset.label + ": " + rupiah(c.raw); }}}}}
    });
  }

  function dashboard(data) {
    var phone = window.matchMedia("(max-width: 575.98px)").matches;
    // Early in the season the values are small (1–4 % of the ceiling): the axis stops at a round number above the
    // largest value (100 % once anything passes half), every bar keeps a few pixels, and each value is written on
    // the chart, so nothing vanishes and nothing is read off a scale.
    var top = function (values) {
      var most = Math.max.apply(null, values.concat([0]));
      return most > 50 ? 100 : [5, 10, 25, 50].find(function (t) { return most <= t; });
    };
    var percent = function (v) { return v.toLocaleString("id-ID", {maximumFractionDigits: 1}) + "%"; };
    var valueLabels = {
      id: "valueLabels",
      afterDatasetsDraw: function (chart, args, options) {
        var ctx = chart.ctx;
        ctx.save();
        ctx.font = "11px system-ui, sans-serif";
        ctx.fillStyle = "#212529";
        chart.data.datasets.forEach(function (dataset, i) {
          var meta = chart.getDatasetMeta(i);
          if (meta.hidden || dataset.noLabels) return;
          meta.data.forEach(function (element, j) {
            var raw = dataset.data[j];
            if (raw === null || raw === undefined) return;
            var text = (options.format || String)(raw, dataset);
            var p = element.tooltipPosition();
            if (chart.options.indexAxis === "y") {
              ctx.textAlign = "left"; ctx.textBaseline = "middle"; ctx.fillText(text, p.x + 4, p.y);
            } else {
              ctx.textAlign = "center"; ctx.textBaseline = "bottom"; ctx.fillText(text, p.x, p.y - 2);
            }
          });
        });
        ctx.restore();
      }
    };
    var byPercent = data.committed_percent.concat(data.realised_percent);
    var moneyAxis = {min: 0, max: top(byPercent), ticks: {callback: function (v) { return v + "%"; }},
                     title: {display: true, text: "% pagu"}};
    new Chart(document.getElementById("money-chart"), {
      type: "bar",
      plugins: [valueLabels],
      data: {labels: data.labels, datasets: [
        {label: "Teralokasi (% pagu)", data: data.committed_percent, backgroundColor: "#6ea8fe", minBarLength: 3, maxBarThickness: 28},
        {label: "Realisasi (% pagu)", data: data.realised_percent, backgroundColor: "#157347", minBarLength: 3, maxBarThickness: 28}
      ]},
      options: {animation: false, maintainAspectRatio: false, indexAxis: phone ? "y" : "x",
                layout: {padding: {top: 14, right: phone ? 36 : 0}},
                scales: phone ? {x: moneyAxis, y: {ticks: {autoSkip: false, font: {size: 11}}}}
                              : {y: moneyAxis, x: {ticks: {autoSkip: false, maxRotation: 60}}},
                plugins: {valueLabels: {format: percent}, legend: {position: "bottom"},
                  tooltip: {callbacks: {label: function (c) {
                  var money = c.datasetIndex === 0 ? data.committed[c.dataIndex] : data.realised[c.dataIndex];
                  return c.dataset.label + ": " + c.raw + "% (" + rupiah(money) + " dari " + rupiah(data.amount[c.dataIndex]) + ")";
                }}}}}
    });
    if (document.getElementById("month-chart")) {
      new Chart(document.getElementById("month-chart"), {
        plugins: [valueLabels],
        data: {labels: data.months, datasets: [
          {type: "bar", label: "Realisasi bulan itu", data: data.month_values, backgroundColor: "#157347", yAxisID: "y",
           minBarLength: 3, noLabels: phone},
          {type: "line", label: "Kumulatif (% pagu)", data: data.month_percent, borderColor: "#0a4a8f",
           backgroundColor: "#0a4a8f", pointRadius: 4, yAxisID: "p"}
        ]},
        options: {animation: false, maintainAspectRatio: false, layout: {padding: {top: 14}},
                  plugins: {legend: {position: "bottom"}, valueLabels: {format: function (v, dataset) {
                    return dataset.yAxisID === "p" ? percent(v) : rupiah(v);
                  }}},
                  scales: {y: {min: 0, ticks: {callback: rupiah}},
                           p: {position: "right", min: 0, max: top(data.month_percent),
                               ticks: {callback: function (v) { return v + "%"; }}, grid: {drawOnChartArea: false}}}}
      });
  }
  new Chart(document.getElementById("funnel-chart"), {
    type: "bar",
    plugins: [valueLabels],
    data: {labels: data.stages, datasets: [{label: "Penerima", data: data.funnel, backgroundColor: "#0d6efd",
                                            minBarLength: 3, maxBarThickness: 28}]},
    options: {animation: false, maintainAspectRatio: false, indexAxis: "y", layout: {padding: {right: 40}},
              scales: {x: {min: 0, ticks: {precision: 0}}},
              plugins: {legend: {display: false}, valueLabels: {format: function (v) { return v.toLocaleString("id-ID"); }}}}
  });
  }

  function read(id) {
    var block = document.getElementById(id);
    return block ? JSON.parse(block.textContent) : null;
  }

  var data = read("budget-chart-data");
  if (data && document.getElementById("budget-chart")) budget(data);
  data = read("money-chart-data");
  if (data && document.getElementById("money-chart")) dashboard(data);
})();
