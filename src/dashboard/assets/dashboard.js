/* global document, window, sessionStorage, fetch */
/**
 * The programme dashboard: reads the query API with a viewer token kept for this browser session
 * only, and redraws every 30 seconds. No build step: plain DOM and SVG.
 */

const TOKEN_KEY = 'bansos-dashboard-token';
const LANGUAGE_KEY = 'bansos-dashboard-language';
const REFRESH_MS = 30_000;
const SVG = 'http://www.w3.org/2000/svg';

const TEXT = {
  id: {
    locale: 'id-ID',
    agency: 'Dinas Sosial Provinsi Kalimantan Timur',
    title: 'Bantuan Pemberdayaan Ekonomi',
    otherLanguage: 'English',
    signOut: 'Keluar',
    tokenLabel: 'Token pembaca (viewer)',
    signIn: 'Tampilkan',
    tokenHint: 'Token disimpan di peramban hanya selama sesi ini, lalu dilupakan.',
    loading: 'Memuat data…',
    refused: 'Token ditolak: masukkan token dengan peran viewer.',
    notReady: 'Data sedang diperbarui; dicoba lagi sebentar lagi.',
    failed: 'Layanan tidak menjawab; dicoba lagi sebentar lagi.',
    totalsTitle: 'Capaian program',
    RSE: 'Wanita RSE',
    KUBE: 'KUBe',
    of: 'dari',
    targetLine: (years) => `target ${years}`,
    rupiahTitle: 'Bantuan tersalurkan',
    chartTitle: 'Alokasi dan penyaluran per kabupaten/kota',
    allocated: 'Alokasi',
    disbursed: 'Tersalurkan',
    yearSummary: (disbursed, target, year) =>
      `${disbursed} tersalurkan dari target ${target} tahun ${year}`,
    rseNote: (target) =>
      `Bantuan RSE tidak dialokasikan per kabupaten/kota: hanya target tahunan ${target} yang berlaku.`,
    kubeNote: 'KUBe dialokasikan per kabupaten/kota setiap tahun.',
    outcomesTitle: 'Hasil pemantauan usaha',
    GROWING: 'Berkembang',
    STABLE: 'Stabil',
    STRUGGLING: 'Kesulitan',
    CLOSED: 'Tutup',
    NOT_MONITORED: 'Belum dipantau',
    workers: (workers, poor) =>
      `${workers} pekerja direkrut, ${poor} di antaranya dari rumah tangga miskin.`,
    challengesTitle: 'Kendala yang dilaporkan',
    LIMITED_RESOURCES: 'Keterbatasan sumber daya',
    MARKET_COMPETITION: 'Persaingan pasar',
    MOTIVATION: 'Motivasi',
    OTHER: 'Lainnya',
    lagTitle: 'Kemutakhiran data',
    projection: 'Model baca',
    status: 'Status',
    lagEvents: 'Tertinggal',
    lagSummary: (events, seconds) =>
      events === 0
        ? 'Semua model baca sudah memuat peristiwa terakhir.'
        : `Model baca paling lambat tertinggal ${events} peristiwa (${seconds} detik).`,
    active: 'aktif',
    building: 'dibangun',
    stopped: 'berhenti',
    retrying: 'mencoba ulang',
    events: (count) => `${count} peristiwa`,
    updated: (time) => `Diperbarui pukul ${time}`,
  },
  en: {
    locale: 'en-US',
    agency: 'Social Affairs Office, Province of East Kalimantan',
    title: 'Economic Empowerment Aid',
    otherLanguage: 'Bahasa Indonesia',
    signOut: 'Sign out',
    tokenLabel: 'Viewer token',
    signIn: 'Show',
    tokenHint: 'The token is kept in this browser for this session only, then forgotten.',
    loading: 'Loading…',
    refused: 'Token refused: enter a token with the viewer role.',
    notReady: 'The figures are being brought up to date; trying again shortly.',
    failed: 'The service does not answer; trying again shortly.',
    totalsTitle: 'Programme progress',
    RSE: 'RSE women',
    KUBE: 'KUBe',
    of: 'of',
    targetLine: (years) => `target ${years}`,
    rupiahTitle: 'Aid disbursed',
    chartTitle: 'Allocated and disbursed per regency/city',
    allocated: 'Allocated',
    disbursed: 'Disbursed',
    yearSummary: (disbursed, target, year) =>
      `${disbursed} disbursed of the ${year} target of ${target}`,
    rseNote: (target) =>
      `RSE aid is not allocated per regency/city: only the yearly target of ${target} applies.`,
    kubeNote: 'KUBe are allocated per regency/city every year.',
    outcomesTitle: 'Business monitoring outcomes',
    GROWING: 'Growing',
    STABLE: 'Stable',
    STRUGGLING: 'Struggling',
    CLOSED: 'Closed',
    NOT_MONITORED: 'Not yet monitored',
    workers: (workers, poor) => `${workers} workers hired, ${poor} of them from poor households.`,
    challengesTitle: 'Challenges reported',
    LIMITED_RESOURCES: 'Limited resources',
    MARKET_COMPETITION: 'Market competition',
    MOTIVATION: 'Motivation',
    OTHER: 'Other',
    lagTitle: 'Data freshness',
    projection: 'Read model',
    status: 'Status',
    lagEvents: 'Behind by',
    lagSummary: (events, seconds) =>
      events === 0
        ? 'Every read model has applied the latest event.'
        : `The slowest read model is ${events} events (${seconds} s) behind.`,
    active: 'active',
    building: 'building',
    stopped: 'stopped',
    retrying: 'retrying',
    events: (count) => `${count} events`,
    updated: (time) => `Updated at ${time}`,
  },
};

const STATUSES = ['GROWING', 'STABLE', 'STRUGGLING', 'CLOSED', 'NOT_MONITORED'];

const view = {
  language: sessionStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'id',
  kind: 'RSE',
  /** The year shown in the chart: the first defined year until the user picks another. */
  year: null,
  /** The last figures read, or null before the first read. */
  figures: null,
  timer: null,
};

const byId = (id) => document.getElementById(id);
const text = (key) => TEXT[view.language][key];
const number = (value) => new Intl.NumberFormat(text('locale')).format(value);
const rupiah = (value) => `Rp${number(value)}`;

/** An element with attributes and children (strings become text, never markup). */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function svg(tag, attributes = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** A horizontal bar chart row: one bar per value, as a share of `max`. */
function bars(values, max) {
  const chart = svg('svg', {
    class: 'bar',
    viewBox: `0 0 100 ${values.length * 6}`,
    preserveAspectRatio: 'none',
    'aria-hidden': 'true',
  });
  values.forEach(({ value, kind }, index) => {
    chart.append(svg('rect', { class: 'track', x: 0, y: index * 6, width: 100, height: 5 }));
    const width = max > 0 ? (100 * value) / max : 0;
    chart.append(svg('rect', { class: kind, x: 0, y: index * 6, width, height: 5 }));
  });
  return chart;
}

class Refused extends Error {}
class NotReady extends Error {}

async function read(path, token) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const response = await fetch(path, { headers });
  if (response.status === 401 || response.status === 403) throw new Refused();
  if (response.status === 503) throw new NotReady();
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

async function load() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return showSignIn();
  window.clearTimeout(view.timer);
  if (!view.figures) showMessage(text('loading'));
  try {
    // The years are data: an admin defines new ones through the API.
    const programme = await read('/api/v1/programme', token);
    const years = programme.years.map((defined) => defined.year);
    const [all, outcomes, health, ...reports] = await Promise.all([
      read('/api/v1/quota-progress', token),
      read('/api/v1/monitoring/outcomes', token),
      read('/health'),
      ...years.map((year) => read(`/api/v1/quota-progress?year=${year}`, token)),
    ]);
    if (!years.includes(view.year)) view.year = years[0] ?? null;
    view.figures = { all, outcomes, health, years, reports, at: new Date() };
    showMessage(null);
    render();
  } catch (error) {
    if (error instanceof Refused) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn();
      return showMessage(text('refused'));
    }
    showMessage(text(error instanceof NotReady ? 'notReady' : 'failed'));
  }
  view.timer = window.setTimeout(load, REFRESH_MS);
}

function showSignIn() {
  window.clearTimeout(view.timer);
  view.figures = null;
  byId('report').hidden = true;
  byId('sign-out').hidden = true;
  byId('sign-in').hidden = false;
  byId('token').focus();
}

function showMessage(message) {
  byId('message').hidden = message === null;
  byId('message').textContent = message ?? '';
}

function render() {
  document.documentElement.lang = view.language;
  document.querySelectorAll('[data-text]').forEach((element) => {
    element.textContent = text(element.dataset.text);
  });
  byId('language').textContent = text('otherLanguage');
  byId('language').lang = view.language === 'id' ? 'en' : 'id';
  if (!view.figures) return;
  byId('sign-in').hidden = true;
  byId('sign-out').hidden = false;
  byId('report').hidden = false;
  renderTotals();
  renderChart();
  renderOutcomes();
  renderLag();
  byId('updated').textContent = text('updated')(view.figures.at.toLocaleTimeString(text('locale')));
}

function renderTotals() {
  const { years } = view.figures;
  const span = years.length === 0 ? '' : `${years[0]}–${years[years.length - 1]}`;
  for (const progress of view.figures.all.kinds) {
    const share = progress.target > 0 ? (100 * progress.disbursed) / progress.target : 0;
    byId(`total-${progress.kind.toLowerCase()}`).replaceChildren(
      el('h3', {}, text(progress.kind)),
      el(
        'p',
        { class: 'figure' },
        el('span', { class: 'count' }, number(progress.disbursed)),
        ` ${text('of')} `,
        el('span', { class: 'target' }, number(progress.target)),
      ),
      bars([{ value: progress.disbursed, kind: 'disbursed' }], progress.target),
      el('p', { class: 'hint' }, `${number(Math.round(share))}% · ${text('targetLine')(span)}`),
    );
  }
  const [rse, kube] = view.figures.all.kinds;
  byId('total-rupiah').replaceChildren(
    el('h3', {}, text('rupiahTitle')),
    el(
      'p',
      { class: 'figure rupiah' },
      rupiah(rse.valueDisbursedRupiah + kube.valueDisbursedRupiah),
    ),
    el(
      'p',
      { class: 'hint' },
      `${text('RSE')} ${rupiah(rse.valueDisbursedRupiah)} · ${text('KUBE')} ${rupiah(kube.valueDisbursedRupiah)}`,
    ),
  );
}

function renderChoices() {
  const choice = (container, options, current, choose) =>
    byId(container).replaceChildren(
      ...options.map(({ value, label }) => {
        const button = el(
          'button',
          { type: 'button', 'aria-pressed': String(value === current) },
          label,
        );
        button.addEventListener('click', () => {
          choose(value);
          render();
        });
        return button;
      }),
    );
  choice(
    'kind-choice',
    ['RSE', 'KUBE'].map((kind) => ({ value: kind, label: text(kind) })),
    view.kind,
    (kind) => (view.kind = kind),
  );
  choice(
    'year-choice',
    view.figures.years.map((year) => ({ value: year, label: String(year) })),
    view.year,
    (year) => (view.year = year),
  );
}

function renderChart() {
  renderChoices();
  const report = view.figures.reports[view.figures.years.indexOf(view.year)];
  if (!report) return byId('regencies').replaceChildren();
  const progress = report.kinds.find((candidate) => candidate.kind === view.kind);
  const max = Math.max(
    1,
    ...progress.regencies.map((regency) => Math.max(regency.allocated ?? 0, regency.disbursed)),
  );
  byId('regencies').replaceChildren(
    ...progress.regencies.map((regency) => {
      const allocated =
        regency.allocated === null ? [] : [{ value: regency.allocated, kind: 'allocated' }];
      return el(
        'li',
        { class: 'regency', 'data-code': regency.code },
        el('span', { class: 'name' }, regency.name),
        bars([...allocated, { value: regency.disbursed, kind: 'disbursed' }], max),
        el(
          'span',
          { class: 'numbers' },
          el('strong', {}, number(regency.disbursed)),
          regency.allocated === null ? '' : ` / ${number(regency.allocated)}`,
        ),
      );
    }),
  );
  byId('chart-summary').textContent = text('yearSummary')(
    number(progress.disbursed),
    number(progress.target),
    view.year,
  );
  byId('chart-note').textContent =
    view.kind === 'RSE' ? text('rseNote')(number(progress.target)) : text('kubeNote');
}

function renderOutcomes() {
  const { outcomes } = view.figures;
  const max = Math.max(1, ...STATUSES.map((status) => outcomes.byStatus[status] ?? 0));
  byId('statuses').replaceChildren(
    ...STATUSES.map((status) =>
      el(
        'li',
        { class: `status ${status.toLowerCase()}` },
        el('span', { class: 'name' }, text(status)),
        bars([{ value: outcomes.byStatus[status] ?? 0, kind: status.toLowerCase() }], max),
        el('strong', { class: 'numbers' }, number(outcomes.byStatus[status] ?? 0)),
      ),
    ),
  );
  byId('workers').textContent = text('workers')(
    number(outcomes.workers),
    number(outcomes.workersFromPoorHouseholds),
  );
  byId('challenges').replaceChildren(
    ...Object.entries(outcomes.challenges).map(([challenge, count]) =>
      el('li', {}, el('span', {}, text(challenge) ?? challenge), el('strong', {}, number(count))),
    ),
  );
}

function renderLag() {
  const projections = view.figures.health.projections ?? [];
  const serving = projections.filter((projection) => projection.serving !== false);
  const slowest = serving.reduce(
    (worst, projection) =>
      Number(projection.lagEvents) > Number(worst.lagEvents) ? projection : worst,
    { lagEvents: '0', lagSeconds: 0 },
  );
  byId('lag-summary').textContent = text('lagSummary')(
    Number(slowest.lagEvents),
    number(Math.round(slowest.lagSeconds * 10) / 10),
  );
  byId('projections').replaceChildren(
    ...projections.map((projection) =>
      el(
        'tr',
        {},
        el('td', {}, projection.name),
        el(
          'td',
          { class: `state ${projection.status}` },
          text(projection.status) ?? projection.status,
        ),
        el('td', {}, text('events')(number(Number(projection.lagEvents)))),
      ),
    ),
  );
}

byId('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = byId('token').value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  byId('token').value = '';
  load();
});

byId('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showMessage(null);
  showSignIn();
});

byId('language').addEventListener('click', () => {
  view.language = view.language === 'id' ? 'en' : 'id';
  sessionStorage.setItem(LANGUAGE_KEY, view.language);
  render();
});

render();
load();
