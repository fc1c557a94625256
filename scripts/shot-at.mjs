import { chromium } from 'playwright-core';
const [url, y, out, width = '360', scheme = 'light'] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: +width, height: 800 }, colorScheme: scheme });
await p.goto(url, { waitUntil: 'networkidle' });
await p.evaluate((y) => window.scrollTo(0, +y), y);
await p.waitForTimeout(200);
await p.screenshot({ path: out });
await b.close();
