import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../platform/command-handling/command-context';
import type { RegisterKubeBody, RegisterRseBody } from './register-recipient.dto';

export interface RegistrationAnswer {
  recipientId: string;
  position: string;
}

export class RegisterRecipientCommand extends Command<RegistrationAnswer> {
  constructor(
    readonly registration: RegisterRseBody | RegisterKubeBody,
    readonly context: CommandContext,
  ) {
    super();
  }
}
