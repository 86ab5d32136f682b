import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/auth/roles.decorator';

/** Beside this file in src/, and copied beside its compiled form in dist/ by `npm run build`. */
const ASSETS = join(__dirname, 'assets');

function asset(name: string): string {
  try {
    return readFileSync(join(ASSETS, name), 'utf8');
  } catch {
    throw new Error(`The dashboard's ${name} is missing from ${ASSETS}: build with npm run build`);
  }
}

/**
 * The programme dashboard: a read-only page that reads the query API in the browser with a viewer
 * token, so the page and its script and style are public. They are separate files of this origin,
 * as the content security policy allows no inline script or style.
 */
// Not in the API document: an HTML page and its assets for browsers, not an API a client calls.
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  private readonly page = asset('index.html');
  private readonly script = asset('dashboard.js');
  private readonly style = asset('dashboard.css');

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  index(): string {
    return this.page;
  }

  @Get('dashboard.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  dashboardScript(): string {
    return this.script;
  }

  @Get('dashboard.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  dashboardStyle(): string {
    return this.style;
  }
}
