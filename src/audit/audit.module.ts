import { Module } from '@nestjs/common';
import { SealingModule } from './sealing/sealing.module';
import { AuditController } from './audit.controller';

/** The auditors' API: history and read models as of a day, verification, seals. */
@Module({
  imports: [SealingModule],
  controllers: [AuditController],
})
export class AuditModule {}
