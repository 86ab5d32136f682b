import { Module } from '@nestjs/common';
import { CommandHandlingModule } from '../platform/command-handling/command-handling.module';
import { CorrectDetailsController, CorrectDetailsHandler } from './correct-details';
import { CorrectNikController, CorrectNikHandler } from './correct-nik';
import { ProgrammeDefiner } from './programme-definer';
import { DisburseAidController, DisburseAidHandler } from './disburse-aid';
import { ErasePersonalDataController, ErasePersonalDataHandler } from './erase-personal-data';
import { RecordFollowUpController, RecordFollowUpHandler } from './record-follow-up';
import { RecordLifeEventController, RecordLifeEventHandler } from './record-life-event';
import { RegisterRecipientController, RegisterRecipientHandler } from './register-recipient';
import { ReplaceMemberController, ReplaceMemberHandler } from './replace-member';
import { ReverseDisbursementController, ReverseDisbursementHandler } from './reverse-disbursement';
import { SetAllocationController, SetAllocationHandler } from './set-allocation';
import { SetProgrammeYearController, SetProgrammeYearHandler } from './set-programme-year';

/** The write side of the programme: one file per use case, its DTO, handler and controller. */
@Module({
  imports: [CommandHandlingModule],
  controllers: [
    SetAllocationController,
    SetProgrammeYearController,
    RegisterRecipientController,
    DisburseAidController,
    ReverseDisbursementController,
    RecordFollowUpController,
    CorrectDetailsController,
    CorrectNikController,
    ReplaceMemberController,
    RecordLifeEventController,
    ErasePersonalDataController,
  ],
  providers: [
    ProgrammeDefiner,
    SetAllocationHandler,
    SetProgrammeYearHandler,
    RegisterRecipientHandler,
    DisburseAidHandler,
    ReverseDisbursementHandler,
    RecordFollowUpHandler,
    CorrectDetailsHandler,
    CorrectNikHandler,
    ReplaceMemberHandler,
    RecordLifeEventHandler,
    ErasePersonalDataHandler,
  ],
})
export class WriteModule {}
