import { Module } from '@nestjs/common';
import { CommandHandlingModule } from '../platform/command-handling/command-handling.module';
import { ProgrammeDefiner } from './programme-definer';
import { DisburseAidController, DisburseAidHandler } from './disburse-aid';
import { RecordFollowUpController, RecordFollowUpHandler } from './record-follow-up';
import { RegisterRecipientController, RegisterRecipientHandler } from './register-recipient';
import { ReverseDisbursementController, ReverseDisbursementHandler } from './reverse-disbursement';
import { SetAllocationController, SetAllocationHandler } from './set-allocation';

/** The write side of the programme: one file per use case, its DTO, handler and controller. */
@Module({
  imports: [CommandHandlingModule],
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
export class WriteModule {}
