import {
  ForbiddenException,
  HttpException,
  HttpStatus,
  NotFoundException,
  type ArgumentsHost,
} from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { invalid, notFound, ruleViolated } from '../domain/domain-error';
import { InvalidInputException, validateAs } from './field-errors';
import { HttpErrorFilter, httpErrorOf } from './http-error.filter';
import {
  EventTooLargeError,
  InvalidPositionError,
  StreamNotWritableError,
} from '../platform/event-store/event-store.errors';
import { PersonalDataErasedError } from '../platform/personal-data/personal-data';
import { IsNikText, IsText } from './text.validators';

class LineBody {
  @IsInt({ message: 'count must be a whole number' })
  @Min(5, { message: 'count must be at least 5' })
  count!: number;
}

class SampleBody {
  @IsText(20, 'name')
  name!: string;

  @IsNikText()
  nik!: string;

  @IsIn(['MATERIALS', 'EQUIPMENT'], { message: 'form must be one of MATERIALS, EQUIPMENT' })
  form!: string;

  @Max(10, { message: 'year must be at most 10' })
  year!: number;

  @ValidateNested({ each: true })
  @Type(() => LineBody)
  lines!: LineBody[];
}

async function refusal(plain: object): Promise<InvalidInputException> {
  try {
    await validateAs(SampleBody, plain);
  } catch (error) {
    if (error instanceof InvalidInputException) return error;
    throw error;
  }
  throw new Error('accepted');
}

const BAD = {
  name: 'x'.repeat(21),
  nik: '6472 0552 0390 00O1',
  form: 'CASH',
  year: 11,
  lines: [{ count: 5 }, { count: 2 }],
  extra: true,
};

describe('httpErrorOf in Indonesian', () => {
  it('says every field error in Indonesian, with the fields and rules unchanged', async () => {
    const error = await refusal(BAD);
    const english = httpErrorOf(error);
    const indonesian = httpErrorOf(error, 'id');
    const strip = (errors: unknown) =>
      (errors as { field: string; rule: string }[]).map(({ field, rule }) => ({ field, rule }));
    expect(strip(indonesian?.body.errors)).toEqual(strip(english?.body.errors));
    expect(indonesian?.body.errors).toEqual([
      { field: 'extra', rule: 'whitelistValidation', message: 'extra bukan kolom yang dikenal' },
      {
        field: 'name',
        rule: 'isLength',
        message: 'name harus terdiri dari paling banyak 20 karakter',
      },
      { field: 'nik', rule: 'matches', message: 'nik harus terdiri dari 16 angka' },
      {
        field: 'form',
        rule: 'isIn',
        message: 'form harus berupa salah satu dari: MATERIALS, EQUIPMENT',
      },
      { field: 'year', rule: 'max', message: 'year harus bernilai paling banyak 10' },
      { field: 'lines.1.count', rule: 'min', message: 'count harus bernilai paling sedikit 5' },
    ]);
    expect(indonesian?.body).toMatchObject({
      statusCode: 400,
      code: 'INVALID_INPUT',
      message:
        'extra bukan kolom yang dikenal; name harus terdiri dari paling banyak 20 karakter; nik harus terdiri dari 16 angka; form harus berupa salah satu dari: MATERIALS, EQUIPMENT; year harus bernilai paling banyak 10; count harus bernilai paling sedikit 5',
    });
  });

  it('keeps the English answer as it was', async () => {
    const english = httpErrorOf(await refusal(BAD));
    expect(english?.body.message).toBe(
      'extra is not a known field; name must be at most 20 characters; nik must be exactly 16 digits; form must be one of MATERIALS, EQUIPMENT; year must be at most 10; count must be at least 5',
    );
  });

  it('says which NIK region is unknown, without quoting the NIK', async () => {
    const good = { ...BAD, name: 'Siti', form: 'MATERIALS', year: 1, lines: [] };
    const { extra: _extra, ...plain } = good;
    for (const [nik, text] of [
      [
        '9972 0552 0390 0001',
        'nik harus diawali dengan kode Kemendagri provinsi yang ada (misalnya 64)',
      ],
      ['6499.0552.0390.0001', 'nik harus memuat kode kabupaten/kota yang ada di provinsinya'],
    ]) {
      const body = httpErrorOf(await refusal({ ...plain, nik }), 'id')?.body;
      expect(body?.errors).toEqual([
        { field: 'nik', rule: 'isNikRegion', message: expect.stringContaining(text) },
      ]);
      expect(JSON.stringify(body)).not.toMatch(/0552|0390/);
    }
  });

  it('translates a domain refusal by its code and params', () => {
    const error = invalid('LINE_NOT_WHOLE_RUPIAH', 'English', 'items.1.quantity', {
      quantity: '0.333',
      price: '10',
      value: '3.33',
    });
    expect(httpErrorOf(error, 'id')?.body).toEqual({
      statusCode: 400,
      code: 'LINE_NOT_WHOLE_RUPIAH',
      message:
        'quantity × unitPriceRupiah harus menghasilkan nilai rupiah yang bulat (0.333 × 10 = 3.33)',
      field: 'items.1.quantity',
      errors: [
        {
          field: 'items.1.quantity',
          rule: 'LINE_NOT_WHOLE_RUPIAH',
          message:
            'quantity × unitPriceRupiah harus menghasilkan nilai rupiah yang bulat (0.333 × 10 = 3.33)',
        },
      ],
    });
    expect(httpErrorOf(notFound('RECIPIENT_NOT_FOUND', 'No such recipient'), 'id')?.body).toEqual({
      statusCode: 404,
      code: 'RECIPIENT_NOT_FOUND',
      message: 'Penerima tidak ditemukan',
    });
    expect(httpErrorOf(ruleViolated('QUOTA_EXHAUSTED', 'reached'), 'id')?.status).toBe(409);
  });

  it('recovers the problem of INVALID_NIK and INVALID_TEXT raised without params', () => {
    const nik = invalid(
      'INVALID_NIK',
      'members.2.nik must end in a serial number from 0001',
      'members.2.nik',
    );
    expect(httpErrorOf(nik, 'id')?.body.message).toBe(
      'members.2.nik harus diakhiri dengan nomor urut mulai dari 0001',
    );
    const text = invalid(
      'INVALID_TEXT',
      'notes must not contain control characters other than line breaks',
      'notes',
    );
    expect(httpErrorOf(text, 'id')?.body.message).toBe(
      'notes tidak boleh memuat karakter kendali selain pindah baris',
    );
  });

  it('uses an exception’s params for the message and leaves them out of the answer', () => {
    const error = new HttpException(
      {
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is larger than 1 MiB',
        params: { limit: '1 MiB' },
      },
      HttpStatus.PAYLOAD_TOO_LARGE,
    );
    expect(httpErrorOf(error, 'id')?.body).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Isi permintaan melebihi 1 MiB',
    });
    expect(httpErrorOf(error)?.body).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is larger than 1 MiB',
    });
  });

  it('translates the codes HTTP gives exceptions raised without one', () => {
    expect(httpErrorOf(new NotFoundException('Cannot GET /x'), 'id')?.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Alamat atau metode yang diminta tidak ditemukan',
    });
    expect(
      httpErrorOf(new ForbiddenException({ code: 'FORBIDDEN', message: 'needs admin' }), 'id')?.body
        .message,
    ).toBe('Token bearer ini tidak memiliki peran yang diperlukan untuk permintaan ini');
  });
});

describe('HttpErrorFilter', () => {
  function answer(error: unknown, acceptLanguage?: string) {
    const headers: Record<string, string> = {};
    const sent: { status?: number; body?: unknown } = {};
    const response = {
      setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
      vary: (name: string) => (headers.vary = name),
      status(status: number) {
        sent.status = status;
        return this;
      },
      json: (body: unknown) => (sent.body = body),
    };
    const request = {
      headers: acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage },
    };
    const host = {
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
    } as unknown as ArgumentsHost;
    new HttpErrorFilter().catch(error, host);
    return { headers, ...sent };
  }

  it('answers in the language asked for and says which', () => {
    const error = ruleViolated('ALREADY_REVERSED', 'Disbursement x.1 is already reversed');
    expect(answer(error, 'id-ID,id;q=0.9,en;q=0.8')).toEqual({
      headers: { 'content-language': 'id', vary: 'Accept-Language' },
      status: 409,
      body: {
        statusCode: 409,
        code: 'ALREADY_REVERSED',
        message: 'Penyaluran ini sudah dibatalkan',
      },
    });
    expect(answer(error)).toMatchObject({
      headers: { 'content-language': 'en' },
      body: { message: 'Disbursement x.1 is already reversed' },
    });
  });

  it('translates a defect’s 500 too, and never its details', () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { status, body } = answer(new TypeError('secret 6472055203900001'), 'id');
    expect(status).toBe(500);
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'Terjadi kesalahan pada sistem kami',
    });
  });
});

describe('httpErrorOf for the event store’s refusals', () => {
  it('answers a refusal that wrote nothing with its own status, never the 503 of an unknown outcome', () => {
    const tooLarge = new EventTooLargeError('at most 1048576 bytes per append');
    const deleted = new StreamNotWritableError('recipient-1', 'it is deleted');
    const position = new InvalidPositionError(4711n);
    expect(httpErrorOf(tooLarge)).toMatchObject({ status: 413, body: { code: 'EVENT_TOO_LARGE' } });
    expect(httpErrorOf(deleted)).toMatchObject({
      status: 500,
      body: { code: 'STREAM_NOT_WRITABLE', message: expect.stringMatching(/nothing was written/) },
    });
    expect(httpErrorOf(position)).toMatchObject({
      status: 400,
      body: { code: 'INVALID_POSITION' },
    });
    for (const refusal of [tooLarge, deleted, position]) {
      expect(httpErrorOf(refusal)?.retryAfterSeconds).toBeUndefined();
    }
  });
});

describe('httpErrorOf for erased personal data', () => {
  it('answers the event store’s refusal to write with a destroyed key as the domain’s 409', () => {
    const store = httpErrorOf(new PersonalDataErasedError('0f3c9a'));
    const domain = httpErrorOf(
      ruleViolated(
        'PERSONAL_DATA_ERASED',
        'name belongs to a person whose data was erased',
        'name',
      ),
    );
    expect(store).toMatchObject({ status: 409, body: { code: 'PERSONAL_DATA_ERASED' } });
    expect(domain).toMatchObject({ status: 409, body: { code: 'PERSONAL_DATA_ERASED' } });
    // The key id is the store's business, not the client's.
    expect(store?.body.message).not.toContain('0f3c9a');
    expect(httpErrorOf(new PersonalDataErasedError('0f3c9a'), 'id')?.body.message).toBe(
      'Perintah ini akan mencatat data pribadi orang yang datanya telah dihapus; tidak ada yang tercatat',
    );
    expect(
      httpErrorOf(
        ruleViolated('PERSONAL_DATA_ERASED', 'name belongs to an erased person', 'name'),
        'id',
      )?.body.message,
    ).toBe(
      'name menyangkut orang yang data pribadinya telah dihapus: tidak ada lagi yang dicatat tentangnya',
    );
  });
});
