import { Body, Controller, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiExtraModels, getSchemaPath } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../http/auth/principal';
import { ApiCommand, POSITION } from '../../http/api-responses';
import { Roles } from '../../http/auth/roles.decorator';
import { commandContext } from '../../http/command-context';
import { InvalidInputException, validateAs } from '../../http/field-errors';
import { RegisterRecipientCommand, type RegistrationAnswer } from './register-recipient.handler';
import { RegisterKubeBody, RegisterRseBody } from './register-recipient.dto';
import { MeasuredCommand } from '../../operations/metrics/command-metrics';

@Controller('recipients')
export class RegisterRecipientController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Registers an RSE woman (`kind: "RSE"`) or a KUBe of five (`kind: "KUBE"`). */
  @Post()
  @Roles('operator')
  @MeasuredCommand('RegisterRecipient')
  @ApiCommand(201, { recipientId: { type: 'string' }, position: POSITION })
  @ApiExtraModels(RegisterRseBody, RegisterKubeBody)
  @ApiBody({
    schema: {
      oneOf: [{ $ref: getSchemaPath(RegisterRseBody) }, { $ref: getSchemaPath(RegisterKubeBody) }],
      discriminator: { propertyName: 'kind' },
    },
  })
  async register(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
  ): Promise<RegistrationAnswer> {
    const kind = (body as { kind?: unknown } | null)?.kind;
    if (kind !== 'RSE' && kind !== 'KUBE') {
      throw new InvalidInputException([
        { field: 'kind', rule: 'isIn', message: 'kind must be one of RSE, KUBE' },
      ]);
    }
    const registration =
      kind === 'RSE'
        ? await validateAs(RegisterRseBody, body)
        : await validateAs(RegisterKubeBody, body);
    return this.commandBus.execute(
      new RegisterRecipientCommand(registration, commandContext(request)),
    );
  }
}
