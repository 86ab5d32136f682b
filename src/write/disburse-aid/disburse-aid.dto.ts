import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { AID_FORMS, type AidForm } from '../../domain/recipient/recipient.commands';
import { IsDateText, IsText } from '../../http/text.validators';

export class AidItemBody {
  @IsText(200)
  description!: string;

  @IsInt({ message: 'quantity must be a whole number' })
  @Min(1, { message: 'quantity must be at least 1' })
  @Max(1_000_000, { message: 'quantity must be at most 1000000' })
  quantity!: number;

  @IsInt({ message: 'unitPriceRupiah must be a whole number of rupiah' })
  @Min(0, { message: 'unitPriceRupiah must not be negative' })
  @Max(1_000_000_000, { message: 'unitPriceRupiah must be at most 1000000000' })
  unitPriceRupiah!: number;
}

export class DisburseAidBody {
  @IsInt({ message: 'year must be a whole number' })
  year!: number;

  @IsIn(AID_FORMS, { message: `form must be one of ${AID_FORMS.join(', ')}` })
  form!: AidForm;

  @IsArray({ message: 'items must be a list' })
  @ArrayMinSize(1, { message: 'items must hold at least one item' })
  @ArrayMaxSize(100, { message: 'items must hold at most 100 items' })
  @ValidateNested({ each: true })
  @Type(() => AidItemBody)
  items!: AidItemBody[];

  @IsDateText()
  disbursedOn!: string;
}
