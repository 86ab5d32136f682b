import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { LowerCase } from './text.validators';

export class RecipientParams {
  @ApiProperty({ description: 'Recipient id (UUID)' })
  @LowerCase()
  @IsUUID('all', { message: 'id must be a recipient id (a UUID)' })
  id!: string;
}
