// Rendering several panels at once: all of them (renderAll) and every one that shows bots (renderBots).

import { renderBotTiers } from './bots.js';
import { renderBotChart, renderHistoryChart, renderSeverityChart } from './charts.js';
import { renderBotFilter } from './filters.js';
import { renderFindings } from './findings-table.js';
import { renderBotGraph } from './graph.js';
import { renderBotsSummary, renderOverview, renderSessionMeta } from './health.js';
import { setLive } from './live-status.js';
import { renderReports } from './reports.js';

export function renderAll() {
  renderSessionMeta();
  renderOverview();
  renderBots();
  renderSeverityChart();
  renderBotChart();
  renderHistoryChart();
  renderFindings();
  renderReports();
  setLive('idle');
}

export function renderBots() {
  renderBotsSummary();
  renderBotTiers();
  renderBotGraph();
  renderBotFilter();
  renderBotChart();
}
