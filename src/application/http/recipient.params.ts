import { IsUUID } from 'class-validator';

export class RecipientParams {
  @IsUUID('all', { message: 'id must be a recipient id (a UUID)' })
  id!: string;
}
