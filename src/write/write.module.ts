import { Module } from '@nestjs/common';
import { ProgrammeDefiner } from './define-programme/programme-definer';
import { DisburseAidController } from './disburse-aid/disburse-aid.controller';
import { DisburseAidHandler } from './disburse-aid/disburse-aid.handler';
import { RecordFollowUpController } from './record-follow-up/record-follow-up.controller';
import { RecordFollowUpHandler } from './record-follow-up/record-follow-up.handler';
import { RegisterRecipientController } from './register-recipient/register-recipient.controller';
import { RegisterRecipientHandler } from './register-recipient/register-recipient.handler';
import { ReverseDisbursementController } from './reverse-disbursement/reverse-disbursement.controller';
import { ReverseDisbursementHandler } from './reverse-disbursement/reverse-disbursement.handler';
import { SetAllocationController } from './set-allocation/set-allocation.controller';
import { SetAllocationHandler } from './set-allocation/set-allocation.handler';

/** The write side of the programme: one controller and one command handler per use case. */
@Module({
  controllers: [
    SetAllocationController,
    RegisterRecipientController,
    DisburseAidController,
    ReverseDisbursementController,
    RecordFollowUpController,
  ],
  providers: [
    ProgrammeDefiner,
    SetAllocationHandler,
    RegisterRecipientHandler,
    DisburseAidHandler,
    ReverseDisbursementHandler,
    RecordFollowUpHandler,
  ],
})
export class AidProgrammeModule {}
