import { Inject, Body, Controller, Post, Req } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiExtraModels, getSchemaPath, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  Matches,
  ValidateNested,
} from 'class-validator';
import { randomUUID } from 'node:crypto';
import {
  MEMBER_ROLES,
  type MemberRole,
  type KubeRegistration,
  type RegisterRecipient,
  type RseRegistration,
} from '../domain/recipient/recipient.commands';
import { recipientDecider } from '../domain/recipient/recipient.decider';
import { KUBE_SIZE } from '../domain/recipient/recipient.registration';
import { streams } from '../domain/streams';
import { ApiCommand } from '../http/api-responses';
import type { AuthenticatedRequest } from '../http/auth/principal';
import { Roles } from '../http/auth/roles.decorator';
import { commandContext } from '../http/command-context';
import { InvalidInputException, validateAs } from '../http/field-errors';
import { IsNikText, IsRegencyCode, IsText } from '../http/text.validators';
import { MeasuredCommand } from '../operations/metrics/command-metrics';
import { CLOCK, type Clock } from '../platform/clock';
import type { CommandContext } from '../platform/command-handling/command-context';
import { CommandRunner } from '../platform/command-handling/command-runner';
import { NIK_HASHER, type NikHasher } from '../platform/command-handling/nik-hasher';
import { DATA_KEY_STORE, type DataKeyStore } from '../platform/personal-data/personal-data';
import { claimNik } from './nik-claims';

export class RegisterRseBody {
  @IsIn(['RSE'])
  kind!: 'RSE';

  @IsRegencyCode()
  regencyCode!: string;

  @IsText(200, 'name')
  name!: string;

  @IsNikText()
  nik!: string;

  @IsText(100)
  businessType!: string;

  @IsOptional()
  @Matches(/^\+?[0-9][0-9 -]{5,19}$/, { message: 'phone must be a phone number of 6 to 20 digits' })
  phone?: string;

  @IsOptional()
  @IsText(500)
  address?: string;
}

export class KubeMemberBody {
  @IsNikText()
  nik!: string;

  @IsText(200, 'name')
  name!: string;

  @IsIn(MEMBER_ROLES, { message: `role must be one of ${MEMBER_ROLES.join(', ')}` })
  role!: MemberRole;
}

export class RegisterKubeBody {
  @IsIn(['KUBE'])
  kind!: 'KUBE';

  @IsRegencyCode()
  regencyCode!: string;

  @IsText(200, 'name')
  groupName!: string;

  @IsText(100)
  businessType!: string;

  @IsArray({ message: 'members must be a list' })
  @ArrayMinSize(KUBE_SIZE, { message: `members must hold exactly ${KUBE_SIZE} people` })
  @ArrayMaxSize(KUBE_SIZE, { message: `members must hold exactly ${KUBE_SIZE} people` })
  @ValidateNested({ each: true })
  @Type(() => KubeMemberBody)
  members!: KubeMemberBody[];
}

/**
 * A registration as asked: NIKs in the clear, to be validated and hashed by the handler, which
 * also gives each person her data key.
 */
export type RegistrationInput =
  | Omit<RseRegistration, 'nikHash' | 'dataKeyId'>
  | (Omit<KubeRegistration, 'members' | 'dataKeyId'> & {
      members: Omit<KubeRegistration['members'][number], 'nikHash' | 'dataKeyId'>[];
    });

export interface RegistrationAnswer {
  recipientId: string;
  position: string;
}

export class RegisterRecipientCommand extends Command<RegistrationAnswer> {
  constructor(
    readonly registration: RegistrationInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Registers an RSE woman or a KUBe in one append: `RecipientRegistered` on the new recipient's
 * stream and a claim on each NIK's stream (`nik-<keyed hash>`), each NIK stream expecting the
 * revision it was read at. A NIK another registration holds refuses the request; two requests
 * racing for one NIK cannot both append, so the loser is read again and refused. Each person (the
 * woman; the group and each member) gets a fresh data key, which her personal data is encrypted
 * with.
 */
@CommandHandler(RegisterRecipientCommand)
export class RegisterRecipientHandler implements ICommandHandler<RegisterRecipientCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(NIK_HASHER) private readonly hasher: NikHasher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DATA_KEY_STORE) private readonly dataKeys: DataKeyStore,
  ) {}

  async execute({ registration, context }: RegisterRecipientCommand): Promise<RegistrationAnswer> {
    const recipientId = randomUUID();
    const command: RegisterRecipient = {
      type: 'RegisterRecipient',
      recipientId,
      registration:
        registration.kind === 'RSE'
          ? {
              ...registration,
              nikHash: this.hasher.hash(registration.nik),
              dataKeyId: await this.dataKeys.newKeyId(),
            }
          : {
              ...registration,
              dataKeyId: await this.dataKeys.newKeyId(),
              members: await Promise.all(
                registration.members.map(async (member) => ({
                  ...member,
                  nikHash: this.hasher.hash(member.nik),
                  dataKeyId: await this.dataKeys.newKeyId(),
                })),
              ),
            },
    };
    const niks =
      command.registration.kind === 'RSE'
        ? [{ nikHash: command.registration.nikHash, field: 'nik' }]
        : command.registration.members.map((member, index) => ({
            nikHash: member.nikHash,
            field: `members.${index}.nik`,
          }));
    const recipientStream = streams.recipient(recipientId);
    const locks = [recipientStream, ...niks.map(({ nikHash }) => streams.nik(nikHash))];
    // The registration's own rules first, so invalid input is refused before any NIK is read.
    recipientDecider.decide(command, recipientDecider.initialState());
    return this.runner.execute(
      context,
      async (unit) => {
        const claimedAt = this.clock.now().toISOString();
        for (const { nikHash, field } of niks) {
          await claimNik(unit, nikHash, recipientId, field, claimedAt);
        }
        unit.create(recipientStream, recipientDecider);
        await unit.decide(recipientStream, recipientDecider, command);
        return { recipientId };
      },
      { locks },
    );
  }
}

@ApiTags('recipients')
@Controller('recipients')
export class RegisterRecipientController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Registers an RSE woman (`kind: "RSE"`) or a KUBe of five (`kind: "KUBE"`). */
  @Post()
  @Roles('operator')
  @MeasuredCommand('RegisterRecipient')
  @ApiCommand({
    operationId: 'registerRecipient',
    summary: 'Register an RSE woman or a KUBe of five',
    status: 201,
    answer: { recipientId: { type: 'string', format: 'uuid' } },
    errors: {
      400: [
        'INVALID_NIK',
        'NIK_NOT_FEMALE',
        'KUBE_NOT_FIVE_MEMBERS',
        'DUPLICATE_MEMBER_NIK',
        'ONE_CHAIR_REQUIRED',
        'UNKNOWN_REGENCY',
        'INVALID_TEXT',
      ],
      409: ['NIK_ALREADY_REGISTERED', 'RECIPIENT_ALREADY_REGISTERED', 'REGISTRATION_ABANDONED'],
    },
    idempotent: true,
  })
  @ApiExtraModels(RegisterRseBody, RegisterKubeBody)
  @ApiBody({
    schema: {
      oneOf: [{ $ref: getSchemaPath(RegisterRseBody) }, { $ref: getSchemaPath(RegisterKubeBody) }],
      discriminator: {
        propertyName: 'kind',
        mapping: { RSE: getSchemaPath(RegisterRseBody), KUBE: getSchemaPath(RegisterKubeBody) },
      },
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
