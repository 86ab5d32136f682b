import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { IsText, LowerCase } from '../../http/text.validators';

export class DisbursementParams {
  @ApiProperty({ description: 'Disbursement id: <recipientId>.<n>' })
  @LowerCase()
  @Matches(/^[0-9a-f-]{36}\.\d{1,6}$/, { message: 'id must be a disbursement id' })
  id!: string;
}

export class ReverseDisbursementBody {
  @IsText(500)
  reason!: string;
}
