import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class RecipientParams {
  @ApiProperty({ description: 'Recipient id (UUID)' })
  @IsUUID('all', { message: 'id must be a recipient id (a UUID)' })
  id!: string;
}
