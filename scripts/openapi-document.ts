import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { API_PREFIX, UNPREFIXED_ROUTES } from '../src/configure-app';
import { createOpenApiDocument } from '../src/http/openapi';

type ModuleEntry = Type | { module: Type; imports?: ModuleEntry[]; controllers?: Type[] };

/** Every controller of a module and of the modules it imports, without instantiating any. */
export function controllersOf(entry: ModuleEntry, seen = new Set<unknown>()): Type[] {
  if (!entry || seen.has(entry)) return [];
  seen.add(entry);
  // A promised module (ConfigModule.forRoot) or a forward reference brings no controller here.
  const moduleClass = typeof entry === 'function' ? entry : entry.module;
  if (typeof moduleClass !== 'function') return [];
  const metadata = (key: string) =>
    (Reflect.getMetadata(key, moduleClass) as ModuleEntry[] | Type[] | undefined) ?? [];
  const imports = [
    ...metadata(MODULE_METADATA.IMPORTS),
    ...(typeof entry === 'function' ? [] : (entry.imports ?? [])),
  ] as ModuleEntry[];
  const controllers = [
    ...metadata(MODULE_METADATA.CONTROLLERS),
    ...(typeof entry === 'function' ? [] : (entry.controllers ?? [])),
  ] as Type[];
  return [...controllers, ...imports.flatMap((imported) => controllersOf(imported, seen))];
}

/**
 * The OpenAPI document of the service without opening any store: the application's controllers
 * in an application of their own, every dependency a stand-in (the document reads decorators only).
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const moduleRef = await Test.createTestingModule({ controllers: controllersOf(AppModule) })
    .useMocker(() => ({}))
    .compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  app.setGlobalPrefix(API_PREFIX, { exclude: [...UNPREFIXED_ROUTES] });
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** Objects' keys sorted at every depth (lists keep their order), so the snapshot diffs stably. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}

/** The committed snapshot of the document. */
export const SNAPSHOT_FILE = join(__dirname, '..', 'openapi', 'openapi.json');

/** The document as the snapshot holds it, keys sorted, on one line (what the spec compares). */
export function snapshotJson(document: OpenAPIObject): string {
  return JSON.stringify(sortedKeys(document));
}
