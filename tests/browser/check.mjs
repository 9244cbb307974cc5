#!/usr/bin/env node
// The public barometer in a real browser, for tests/browser.rs: Debian's Chromium (/usr/bin/chromium),
// headless, driven by playwright-core. In each language it loads the index and one target's page,
// checks what only a browser can tell (the graph is laid out with a size, one bar per month), reads
// the citation footer, and prints the target's page to PDF as a visitor would to attach it to a letter.
//
//   node tests/browser/check.mjs '{"base": "http://127.0.0.1:PORT", "target": "ezb-93-9829",
//                                 "months": 9, "fills": ["#2E9D3A", ...], "out": "/tmp/dir"}'
//
// fills: the five class colours, as the chart writes them in `fill` (compared case-insensitively).
// out: where the PDFs go (a new temporary folder when left out); langs: ["fr", "en", "ar"] by default.
// Prints exactly one JSON document on stdout, what it found, and nothing else there; diagnostics go
// to stderr. Exits 1 when any check failed (the JSON then lists them in `failures`), 2 on bad input.

import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
// Headless without a sandbox (the tests run as root) and without any traffic of Chromium's own: this
// machine's network is closed, and a test must not depend on, nor send anything to, Google's hosts.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TIMEOUT_MS = 30_000;

function usage(message) {
  console.error(`check.mjs: ${message}`);
  console.error(`usage: node check.mjs '{"base": URL, "target": ID, "months": N, "fills": [COLOUR, ...], "out": DIR}'`);
  process.exit(2);
}

let input;
try {
  input = JSON.parse(process.argv[2] ?? '');
} catch (error) {
  usage(`the one argument must be JSON (${error.message})`);
}
const { base, target, months } = input;
const fills = (input.fills ?? []).map((fill) => String(fill).toLowerCase());
const langs = input.langs ?? ['fr', 'en', 'ar'];
if (typeof base !== 'string' || !/^http:\/\/127\.0\.0\.1:\d+$/.test(base)) usage(`base must be http://127.0.0.1:PORT (got ${base})`);
if (typeof target !== 'string' || target === '') usage('target must be a target id');
if (!Number.isInteger(months) || months < 1) usage(`months must be a positive integer (got ${months})`);
if (fills.length === 0) usage('fills must list the class colours');

const out = input.out ?? mkdtempSync(join(tmpdir(), 'guichet-browser-pdf-'));
mkdirSync(out, { recursive: true });
const failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`check.mjs: FAIL ${message}`);
};
const expect = (condition, message) => condition || fail(message);

// Chromium's PDFs keep each page's dictionary in plain text: `/Type /Page`, not `/Pages`.
const pdfPages = (path) => (readFileSync(path, 'latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

/** Loads `path` in `page`; the status, and every sub-resource that failed (the style sheet above all). */
async function load(page, path) {
  const broken = [];
  const onResponse = (response) => response.status() >= 400 && broken.push(`${response.status()} ${response.url()}`);
  const onFailed = (request) => broken.push(`${request.failure()?.errorText} ${request.url()}`);
  page.on('response', onResponse);
  page.on('requestfailed', onFailed);
  try {
    const response = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    return { status: response?.status() ?? 0, broken };
  } finally {
    page.off('response', onResponse);
    page.off('requestfailed', onFailed);
  }
}

/** What the root element says of the page's language and direction. */
const root = (page) => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

async function checkIndex(page, lang) {
  const path = `/${lang}/`;
  const { status, broken } = await load(page, path);
  const { lang: htmlLang, dir } = await root(page);
  // The row of the target links to its page: resolved by the browser, as a click would follow it.
  const link = await page.evaluate((id) => {
    const a = document.querySelector(`table.index tr[data-target="${CSS.escape(id)}"] a[href]`);
    return a ? new URL(a.href).pathname : null;
  }, target);
  expect(status === 200, `${path}: status ${status}, not 200`);
  expect(broken.length === 0, `${path}: resources that failed: ${broken.join(', ')}`);
  expect(htmlLang === lang, `${path}: html[lang] is ${htmlLang}, not ${lang}`);
  expect(dir === (lang === 'ar' ? 'rtl' : 'ltr'), `${path}: html[dir] is ${dir}`);
  expect(link === `/${lang}/${target}/`, `${path}: the index row of ${target} links to ${link}, not /${lang}/${target}/`);
  return { path, status, lang: htmlLang, dir, link };
}

async function checkTarget(page, lang) {
  const path = `/${lang}/${target}/`;
  const { status, broken } = await load(page, path);
  const { lang: htmlLang, dir } = await root(page);
  const found = await page.evaluate((fills) => {
    const svg = document.querySelector('figure.chart svg');
    if (!svg) return { svg: null };
    const box = svg.getBoundingClientRect();
    // A month's bar is a stack of class-coloured rects sharing one x; the grey "failed" bar and
    // the axes are in other colours, so distinct x among class-coloured rects = months drawn.
    const rects = [...svg.querySelectorAll('rect')].filter((r) => fills.includes((r.getAttribute('fill') ?? '').trim().toLowerCase()));
    const xs = [...new Set(rects.map((r) => Number.parseFloat(r.getAttribute('x') ?? 'NaN')))].sort((a, b) => a - b);
    return { svg: { width: box.width, height: box.height }, rects: rects.length, xs };
  }, fills);
  // The footer's lines as they print (the print style sheet leaves some out).
  await page.emulateMedia({ media: 'print' });
  const footer = await page.evaluate(() =>
    [...document.querySelectorAll('footer.cite p')].filter((p) => p.checkVisibility()).map((p) => p.innerText.trim()),
  );
  await page.emulateMedia({ media: null });
  expect(status === 200, `${path}: status ${status}, not 200`);
  expect(broken.length === 0, `${path}: resources that failed: ${broken.join(', ')}`);
  expect(htmlLang === lang, `${path}: html[lang] is ${htmlLang}, not ${lang}`);
  expect(dir === (lang === 'ar' ? 'rtl' : 'ltr'), `${path}: html[dir] is ${dir}`);
  const bars = found.xs?.length ?? 0;
  if (!found.svg) {
    fail(`${path}: no svg inside figure.chart`);
  } else {
    expect(found.svg.width > 0 && found.svg.height > 0, `${path}: the graph is laid out ${found.svg.width}×${found.svg.height}`);
    expect(!found.xs.some(Number.isNaN), `${path}: a class-coloured rect has no numeric x`);
    expect(bars === months, `${path}: ${bars} bars (distinct x of ${found.rects} class-coloured rects), not ${months} months`);
  }
  expect(footer.length > 0, `${path}: no footer.cite printed`);
  return { path, status, lang: htmlLang, dir, svg: found.svg, rects: found.rects ?? 0, bars, xs: found.xs ?? [], footer };
}

/**
 * The target page on a 390 px phone: the graph's legend is text the size
 * of the page's, each entry whole on the screen, and nothing wider than it.
 */
async function checkPhone(page, lang) {
  const path = `/${lang}/${target}/`;
  await page.setViewportSize({ width: 390, height: 844 });
  await load(page, path);
  const found = await page.evaluate(() => {
    const items = [...document.querySelectorAll('figure.chart ul.legend li')];
    const width = document.documentElement.clientWidth;
    return {
      width,
      scrollWidth: document.documentElement.scrollWidth,
      entries: items.map((li) => {
        const box = li.getBoundingClientRect();
        return { text: li.innerText.trim(), fontSize: Number.parseFloat(getComputedStyle(li).fontSize), left: box.left, right: box.right };
      }),
    };
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(found.entries.length === 6, `${path} at 390 px: ${found.entries.length} legend entries, not 6`);
  for (const entry of found.entries) {
    expect(entry.fontSize >= 14, `${path} at 390 px: legend "${entry.text}" at ${entry.fontSize} px`);
    expect(entry.left >= 0 && entry.right <= found.width + 0.5, `${path} at 390 px: legend "${entry.text}" runs off the screen (${entry.left}–${entry.right} of ${found.width})`);
  }
  expect(found.scrollWidth <= found.width + 1, `${path} at 390 px: the page is ${found.scrollWidth} px wide`);
  return found;
}

/** Prints the page now loaded as a visitor would: A4, with its colours (the swatches, the grid). */
async function print(page, lang) {
  const path = join(out, `${target}-${lang}.pdf`);
  await page.pdf({ format: 'A4', printBackground: true, path });
  const pages = pdfPages(path);
  expect(pages > 0, `${path}: no page in the PDF`);
  return { path, pages };
}

const report = { base, target, months, fills, out, langs: {}, failures };
const profile = mkdtempSync(join(tmpdir(), 'guichet-chromium-'));
let context;
try {
  // A persistent context is the way to give Chromium a user-data-dir of our own: a new empty one.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    timeout: TIMEOUT_MS,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT_MS);
  for (const lang of langs) {
    const before = failures.length;
    const index = await checkIndex(page, lang);
    const targetPage = await checkTarget(page, lang);
    const pdf = await print(page, lang);
    const phone = await checkPhone(page, lang);
    report.langs[lang] = { ok: failures.length === before, index, target: targetPage, pdf, phone };
  }
} catch (error) {
  fail(`the browser run stopped: ${error.stack ?? error}`);
} finally {
  await context?.close().catch((error) => console.error(`check.mjs: closing Chromium: ${error}`));
  rmSync(profile, { recursive: true, force: true });
}
report.ok = failures.length === 0;
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exit(report.ok ? 0 : 1);
