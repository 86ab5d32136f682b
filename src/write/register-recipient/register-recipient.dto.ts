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
import { MEMBER_ROLES, type MemberRole } from '../../domain/recipient/recipient.commands';
import { KUBE_SIZE } from '../../domain/recipient/recipient.decider';
import { IsNikText, IsRegencyCode, IsText } from '../../http/text.validators';

export class RegisterRseBody {
  @IsIn(['RSE'])
  kind!: 'RSE';

  @IsRegencyCode()
  regencyCode!: string;

  @IsText(200)
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

  @IsText(200)
  name!: string;

  @IsIn(MEMBER_ROLES, { message: `role must be one of ${MEMBER_ROLES.join(', ')}` })
  role!: MemberRole;
}

export class RegisterKubeBody {
  @IsIn(['KUBE'])
  kind!: 'KUBE';

  @IsRegencyCode()
  regencyCode!: string;

  @IsText(200)
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
