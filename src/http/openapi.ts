import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

/**
 * The OpenAPI document, served at /docs (UI) and /docs-json. Paths come from the controllers;
 * request schemas come from the class-validator rules of the DTOs themselves, so the document
 * cannot drift from what the API accepts.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('bansos-ledger')
    .setDescription(
      'Economic-empowerment aid of the Dinas Sosial of Kalimantan Timur: registration of RSE women ' +
        'and KUBe groups, disbursement under yearly quotas, and monitoring. Every command answers ' +
        'the global `position` of its last event. Errors carry a machine-readable `code`. ' +
        'POST requests honour an `Idempotency-Key` header.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
  });
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...(schemas as OpenAPIObject['components']) },
  };
  return document;
}

export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app));
}
