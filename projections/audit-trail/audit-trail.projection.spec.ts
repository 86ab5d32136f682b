import { replay } from '../../src/platform/projection-engine/apply-events';
import {
  aidDisbursed,
  allocationSet,
  defaultProgramme,
  disbursementAbandoned,
  disbursementOf,
  disbursementReversed,
  eventLog,
  exhibitionParticipationRecorded,
  kubeRegistered,
  mentoringRecorded,
  monitoringRecorded,
  nikClaimed,
  nikReleased,
  ProjectionSpecification,
  quotaSlotConfirmed,
  quotaSlotReleased,
  quotaSlotReserved,
  quotaSlotTaken,
  quotaStream,
  recipientStream,
  registrationAbandoned,
  storedEvent,
  rseRegistered,
  yearlyQuotaDefined,
  type EventToStore,
  SITI,
  ROTAN,
} from '../../test/helpers/projection-specification';
import { liveAndRebuilt, personalDataErased } from '../../test/helpers/personal-data-erasure';
import { auditEntryId, auditTrailProjection, type AuditEntry } from './audit-trail.projection';

const spec = ProjectionSpecification.for(auditTrailProjection);

const SITI_AID = `${SITI.recipientId}.1`;

/** An event of a recipient's life or a correction, as its command writes it. */
const ofLife = (
  recipientId: string,
  event: Extract<
    EventToStore['event'],
    {
      type:
        | 'RecipientDetailsCorrected'
        | 'NikCorrected'
        | 'MemberReplaced'
        | 'RecipientMoved'
        | 'RecipientDied'
        | 'RecipientWithdrew';
    }
  >,
): EventToStore => storedEvent(recipientStream(recipientId), event);

const detailsCorrected = (
  changes: Extract<EventToStore['event'], { type: 'RecipientDetailsCorrected' }>['data']['changes'],
  reason = 'Salah ketik saat pendaftaran',
  recipientId = SITI.recipientId,
) =>
  ofLife(recipientId, {
    type: 'RecipientDetailsCorrected',
    data: { recipientId, changes, reason },
  });

const nikCorrected = (beforeMasked: string, afterMasked: string) =>
  ofLife(SITI.recipientId, {
    type: 'NikCorrected',
    data: {
      recipientId: SITI.recipientId,
      before: { nikHash: 'hmac-sha256:old', nikMasked: beforeMasked },
      after: { nikHash: 'hmac-sha256:new', nikMasked: afterMasked },
      reason: 'NIK tertukar digit, sesuai KTP',
    },
  });
const ROTAN_AID = `${ROTAN.recipientId}.1`;

/** Personal data the events carry that no summary may repeat. */
const NAMES = [
  'Siti Aminah',
  'KUBe Anyaman Rotan Lestari',
  'Rahmat Hidayat',
  'Nur Aisyah',
  'Budi Santoso',
  'Dewi Lestari',
  'Yohanes Lawing',
];
const PHONE = '081254321987';
const ADDRESS = 'Jl. Pangeran Antasari No. 12, Samarinda Ulu';

/** Every event type the audit trail reads, with the line and recipient its entry shows. */
const cases: [string, EventToStore, { summary: string; recipientId: string | null }][] = [
  [
    'RecipientRegistered (RSE)',
    rseRegistered(SITI, { phone: PHONE, address: ADDRESS }),
    {
      summary: 'RSE recipient registered in Kota Samarinda (NIK 6472********0001)',
      recipientId: SITI.recipientId,
    },
  ],
  [
    'RecipientRegistered (KUBe)',
    kubeRegistered(ROTAN),
    {
      summary:
        'KUBe of 5 registered in Kabupaten Kutai Barat (NIKs 6407********0011, ' +
        '6407********0012, 6407********0013, 6407********0014, 6407********0015)',
      recipientId: ROTAN.recipientId,
    },
  ],
  [
    'RecipientDetailsCorrected',
    detailsCorrected(
      [
        { field: 'name', before: 'Siti Aminah', after: 'Siti Aminah Rahman' },
        { field: 'phone', before: null, after: '081254321987' },
        { field: 'businessType', before: 'Kue basah', after: 'Kue kering' },
      ],
      'KTP menulis nama lengkap',
    ),
    {
      summary:
        'Details corrected: name changed; phone added; business type "Kue basah" → "Kue kering" ' +
        '(reason: KTP menulis nama lengkap)',
      recipientId: SITI.recipientId,
    },
  ],
  [
    'NikCorrected',
    nikCorrected('6472********0001', '6472********0009'),
    {
      summary:
        'NIK corrected from 6472********0001 to 6472********0009 ' +
        '(reason: NIK tertukar digit, sesuai KTP)',
      recipientId: SITI.recipientId,
    },
  ],
  [
    'MemberReplaced',
    ofLife(ROTAN.recipientId, {
      type: 'MemberReplaced',
      data: {
        recipientId: ROTAN.recipientId,
        departure: 'DIED',
        left: {
          name: 'Nur Aisyah',
          role: 'SECRETARY',
          nikHash: 'hmac-sha256:left',
          nikMasked: '6407********0012',
        },
        joined: {
          name: 'Maria Ulfah',
          role: 'SECRETARY',
          nikHash: 'hmac-sha256:joined',
          nikMasked: '6407********0021',
        },
        effectiveOn: '2025-07-02',
        reason: 'Meninggal dunia, surat kematian kelurahan',
      },
    }),
    {
      summary:
        'Member 6407********0012 (SECRETARY) died on 2025-07-02, replaced by ' +
        '6407********0021 (SECRETARY) (reason: Meninggal dunia, surat kematian kelurahan)',
      recipientId: ROTAN.recipientId,
    },
  ],
  [
    'RecipientMoved',
    ofLife(SITI.recipientId, {
      type: 'RecipientMoved',
      data: {
        recipientId: SITI.recipientId,
        fromRegencyCode: '64.72',
        toRegencyCode: '64.71',
        movedOn: '2025-07-15',
        reason: 'Ikut suami pindah kerja',
      },
    }),
    {
      summary:
        'Moved from Kota Samarinda to Kota Balikpapan on 2025-07-15 (reason: Ikut suami pindah kerja)',
      recipientId: SITI.recipientId,
    },
  ],
  [
    'RecipientDied',
    ofLife(SITI.recipientId, {
      type: 'RecipientDied',
      data: { recipientId: SITI.recipientId, diedOn: '2025-08-01', reason: 'Surat kematian' },
    }),
    {
      summary: 'Death on 2025-08-01 recorded (reason: Surat kematian)',
      recipientId: SITI.recipientId,
    },
  ],
  [
    'RecipientWithdrew',
    ofLife(ROTAN.recipientId, {
      type: 'RecipientWithdrew',
      data: { recipientId: ROTAN.recipientId, withdrawnOn: '2025-08-05', reason: 'Kelompok bubar' },
    }),
    {
      summary: 'Withdrawal from the programme on 2025-08-05 recorded (reason: Kelompok bubar)',
      recipientId: ROTAN.recipientId,
    },
  ],
  [
    'PersonalDataErased (whole recipient)',
    personalDataErased(SITI, {
      dataKeyIds: ['key-siti'],
      reason: 'Permintaan subjek data,\nUU PDP Pasal 8',
      reference: 'PDP/2026/017',
    }),
    {
      summary:
        'Personal data erased: whole recipient (reason: Permintaan subjek data, UU PDP Pasal 8, ' +
        'reference: PDP/2026/017)',
      recipientId: SITI.recipientId,
    },
  ],
  [
    'PersonalDataErased (one member)',
    personalDataErased(ROTAN, {
      dataKeyIds: ['key-rotan-2'],
      memberNikHash: 'hmac-sha256:left',
      reason: 'Anggota meninggal, ahli waris meminta',
      reference: 'PDP/2026/018',
    }),
    {
      summary:
        'Personal data erased: one member (reason: Anggota meninggal, ahli waris meminta, ' +
        'reference: PDP/2026/018)',
      recipientId: ROTAN.recipientId,
    },
  ],
  [
    'RegistrationAbandoned',
    registrationAbandoned(SITI),
    { summary: 'Unfinished registration closed', recipientId: SITI.recipientId },
  ],
  [
    'AidDisbursed (RSE)',
    aidDisbursed(SITI),
    {
      summary: `RSE aid of Rp5,000,000 in materials disbursed on 2025-03-10 for 2025 (${SITI_AID})`,
      recipientId: SITI.recipientId,
    },
  ],
  [
    'AidDisbursed (KUBe)',
    aidDisbursed(ROTAN),
    {
      summary: `KUBE aid of Rp20,000,000 in equipment disbursed on 2025-03-10 for 2025 (${ROTAN_AID})`,
      recipientId: ROTAN.recipientId,
    },
  ],
  [
    'DisbursementAbandoned',
    disbursementAbandoned(SITI, disbursementOf(SITI, 2)),
    {
      summary: `Unfinished disbursement ${SITI.recipientId}.2 closed`,
      recipientId: SITI.recipientId,
    },
  ],
  [
    'DisbursementReversed',
    disbursementReversed(SITI),
    {
      summary:
        `Disbursement ${SITI_AID} of Rp5,000,000 reversed on 2025-04-02: ` +
        'Penerima pindah domisili ke luar provinsi',
      recipientId: SITI.recipientId,
    },
  ],
  [
    'MonitoringRecorded',
    monitoringRecorded(SITI, { notes: 'Bu Siti Aminah membuka lapak kedua' }),
    {
      summary: 'Monitoring visit on 2025-06-20: growing, 2 workers',
      recipientId: SITI.recipientId,
    },
  ],
  [
    'MentoringRecorded',
    mentoringRecorded(SITI),
    {
      summary: 'Mentoring by Disperindagkop Kaltim on 2025-05-15: Pembukuan usaha sederhana',
      recipientId: SITI.recipientId,
    },
  ],
  [
    'ExhibitionParticipationRecorded',
    exhibitionParticipationRecorded(ROTAN),
    {
      summary: 'Took part in Pameran UMKM Kaltim Expo 2025 on 2025-08-17',
      recipientId: ROTAN.recipientId,
    },
  ],
  [
    'YearlyQuotaDefined',
    yearlyQuotaDefined(2025, 'KUBE'),
    { summary: '2025 KUBE quota defined: target 200, ceiling Rp20,000,000', recipientId: null },
  ],
  [
    'YearlyQuotaChanged',
    storedEvent(quotaStream(2026, 'RSE'), {
      type: 'YearlyQuotaChanged',
      data: {
        target: 600,
        ceilingRupiah: 6_000_000,
        previousTarget: 500,
        previousCeilingRupiah: 5_000_000,
        reason: 'APBD perubahan',
      },
    }),
    {
      summary:
        '2026 RSE quota changed: target 500 → 600, ceiling Rp5,000,000 → Rp6,000,000 ' +
        '(reason: APBD perubahan)',
      recipientId: null,
    },
  ],
  [
    'AllocationCleared',
    storedEvent(quotaStream(2025, 'KUBE'), {
      type: 'AllocationCleared',
      data: { regencyCode: '64.71', previousQuota: 20 },
    }),
    { summary: 'Allocation of Kota Balikpapan cleared (was 20)', recipientId: null },
  ],
  [
    'AllocationSet (first)',
    allocationSet(2025, 'KUBE', { regencyCode: '64.71', quota: 20, previousQuota: null }),
    { summary: 'Allocation of Kota Balikpapan set to 20', recipientId: null },
  ],
  [
    'AllocationSet (changed)',
    allocationSet(2025, 'KUBE', { regencyCode: '64.71', quota: 25, previousQuota: 20 }),
    { summary: 'Allocation of Kota Balikpapan set to 25 (was 20)', recipientId: null },
  ],
  [
    'QuotaSlotTaken',
    quotaSlotTaken(ROTAN),
    { summary: `Quota slot taken by ${ROTAN_AID}`, recipientId: ROTAN.recipientId },
  ],
  [
    'QuotaSlotReserved',
    quotaSlotReserved(SITI),
    { summary: `Quota slot reserved for ${SITI_AID}`, recipientId: SITI.recipientId },
  ],
  [
    'QuotaSlotConfirmed',
    quotaSlotConfirmed(SITI),
    { summary: `Quota slot confirmed for ${SITI_AID}`, recipientId: SITI.recipientId },
  ],
  [
    'QuotaSlotReleased (reversed)',
    quotaSlotReleased(SITI, 'REVERSED'),
    { summary: `Quota slot of ${SITI_AID} released (reversed)`, recipientId: SITI.recipientId },
  ],
  [
    'QuotaSlotReleased (abandoned)',
    quotaSlotReleased(ROTAN, 'ABANDONED'),
    { summary: `Quota slot of ${ROTAN_AID} released (abandoned)`, recipientId: ROTAN.recipientId },
  ],
  [
    'NikClaimed',
    nikClaimed(SITI),
    { summary: 'NIK claimed for registration', recipientId: SITI.recipientId },
  ],
  [
    'NikReleased (registration failed)',
    nikReleased(SITI, 'REGISTRATION_FAILED'),
    { summary: 'NIK claim released (registration failed)', recipientId: SITI.recipientId },
  ],
  [
    'NikReleased (abandoned)',
    nikReleased(ROTAN, 'ABANDONED'),
    { summary: 'NIK claim released (abandoned)', recipientId: ROTAN.recipientId },
  ],
];

/** Every case, stored in this order: a history with every event type. */
const everything = cases.map(([, event]) => event);

describe('audit-trail projection', () => {
  it('reads every event type of the programme', () => {
    const types = new Set(everything.map(({ event }) => event.type));
    expect([...auditTrailProjection.handles].sort()).toEqual([...types].sort());
    expect(types.size).toBe(25);
  });

  it.each(cases)(
    'writes one entry for %s with its summary and recipient',
    (_label, event, { summary, recipientId }) => {
      spec.given([event]).thenDocuments({
        [auditEntryId(1n)]: {
          position: 1,
          recordedAt: '2025-03-14T02:00:00.000Z',
          type: event.event.type,
          streamName: event.streamName,
          recipientId,
          actor: 'operator',
          correlationId: 'command-1',
          causationId: 'command-1',
          commandId: 'command-1',
          summary,
        },
      });
    },
  );

  it('keys entries by position, padded so that ids sort in log order', () => {
    expect(auditEntryId(41n)).toBe('00000000000000000041');
    expect([auditEntryId(100n), auditEntryId(99n), auditEntryId(1000n)].sort()).toEqual([
      auditEntryId(99n),
      auditEntryId(100n),
      auditEntryId(1000n),
    ]);
  });

  it('copies who, when and why from the metadata', () => {
    spec
      .given([
        yearlyQuotaDefined(2025, 'RSE', { actor: 'system', commandId: 'default-programme' }),
        aidDisbursed(
          SITI,
          {},
          {
            position: 41,
            actor: 'operator.samarinda',
            recordedAt: '2025-03-15T01:02:03.004Z',
            commandId: '5a1d0c2e-8f4b-4b7a-9c3e-2d6f8a0b1c41',
            correlationId: 'req-7f3a',
            causationId: 'idem-2b9c',
          },
        ),
      ])
      .thenDocument(auditEntryId(41n), {
        position: 41,
        recordedAt: '2025-03-15T01:02:03.004Z',
        type: 'AidDisbursed',
        streamName: `recipient-${SITI.recipientId}`,
        recipientId: SITI.recipientId,
        actor: 'operator.samarinda',
        correlationId: 'req-7f3a',
        causationId: 'idem-2b9c',
        commandId: '5a1d0c2e-8f4b-4b7a-9c3e-2d6f8a0b1c41',
        summary: `RSE aid of Rp5,000,000 in materials disbursed on 2025-03-10 for 2025 (${SITI_AID})`,
      });
  });

  it('writes one entry per event, for the whole default programme', () => {
    const programme = defaultProgramme();
    const entries = replay(auditTrailProjection, eventLog(programme));
    expect(entries.size).toBe(programme.length);
    expect(programme.length).toBe(3 * (1 + 1 + 10));
    expect(entries.get(auditEntryId(1n))).toMatchObject({
      actor: 'system',
      summary: '2024 RSE quota defined: target 500, ceiling Rp5,000,000',
    });
  });

  describe('summaries', () => {
    const entries = [...replay(auditTrailProjection, eventLog(everything)).values()];
    const summaries = entries.map((entry: AuditEntry) => entry.summary);

    it('has one line per event', () => {
      expect(summaries).toHaveLength(cases.length);
      for (const summary of summaries) {
        expect(summary).not.toMatch(/[\r\n]/);
        expect(summary.length).toBeGreaterThan(0);
      }
    });

    it('never shows a raw 16-digit NIK', () => {
      for (const summary of summaries) expect(summary).not.toMatch(/\d{16}/);
    });

    it('shows no names, phone numbers, addresses, notes, NIK hashes or data keys, corrections included', () => {
      expect(entries.map((entry) => entry.type)).toContain('RecipientDetailsCorrected');
      for (const summary of summaries) {
        for (const secret of [
          ...NAMES,
          'Siti Aminah Rahman',
          'Maria Ulfah',
          PHONE,
          ADDRESS,
          'lapak kedua',
          'hmac-sha256',
          'key-',
        ]) {
          expect(summary).not.toContain(secret);
        }
      }
    });

    /** The summaries of the entries one event gives (one). */
    const summariesOf = (event: EventToStore): string[] =>
      [...replay(auditTrailProjection, eventLog([event])).values()].map((entry) => entry.summary);

    /** The summaries of a reversal whose reason an operator typed as below. */
    const reversalSummaries = (reason: string, valueRupiah = 5_000_000): string[] =>
      summariesOf(disbursementReversed(SITI, { reason, valueRupiah }));

    it.each([
      [
        'masks a NIK an operator typed into the free text of a reversal',
        'NIK 6472055203900001 ternyata sudah menerima bantuan dari program lain',
        'NIK 6472********0001 ternyata sudah menerima bantuan dari program lain',
      ],
      [
        'puts free text an operator typed over several lines on one line',
        '  Pindah domisili ke Sulawesi.\r\n\tDikonfirmasi   ketua RT 05\n',
        'Pindah domisili ke Sulawesi. Dikonfirmasi ketua RT 05',
      ],
      [
        'masks every 16-digit run and keeps shorter runs of digits',
        'Ganda: 6472055203900001/6407014101850012, KK 647205520390000, RT 005',
        'Ganda: 6472********0001/6407********0012, KK 647205520390000, RT 005',
      ],
    ])('%s', (_title, typed, shown) => {
      expect(reversalSummaries(typed)).toEqual([
        `Disbursement ${SITI_AID} of Rp5,000,000 reversed on 2025-04-02: ${shown}`,
      ]);
    });

    it('puts the partner and topic of a mentoring on one line, with NIKs masked', () => {
      expect(
        summariesOf(
          mentoringRecorded(SITI, {
            partner: 'Disperindagkop\nKaltim',
            topic: 'Pembukuan usaha\n sederhana untuk NIK 6472055203900001 ',
          }),
        ),
      ).toEqual([
        'Mentoring by Disperindagkop Kaltim on 2025-05-15: ' +
          'Pembukuan usaha sederhana untuk NIK 6472********0001',
      ]);
    });

    it('puts the name of an exhibition on one line, with NIKs masked', () => {
      expect(
        summariesOf(
          exhibitionParticipationRecorded(ROTAN, {
            name: 'Pameran UMKM\r\nKaltim Expo 2025 (stand 6407014101850012)',
          }),
        ),
      ).toEqual([
        'Took part in Pameran UMKM Kaltim Expo 2025 (stand 6407********0012) on 2025-08-17',
      ]);
    });

    it('names each corrected field, added, changed or removed, never its values but a business type’s', () => {
      expect(
        summariesOf(
          detailsCorrected(
            [
              { field: 'address', before: 'Jl. Juanda\nNo. 7', after: null },
              { field: 'groupName', before: 'KUBe Rotan', after: 'KUBe Anyaman Rotan' },
              {
                field: 'memberName',
                memberNikHash: 'hmac-sha256:m2',
                before: 'Nur Aisah',
                after: 'Nur Aisyah',
              },
              { field: 'businessType', before: 'Anyaman\nrotan', after: null },
            ],
            'Dicek ulang dengan KTP 6472055203900001',
          ),
        ),
      ).toEqual([
        'Details corrected: address removed; group name changed; member name changed; ' +
          'business type "Anyaman rotan" → none (reason: Dicek ulang dengan KTP 6472********0001)',
      ]);
    });

    it('says so when a NIK correction changed only digits the mask hides', () => {
      expect(summariesOf(nikCorrected('6472********0001', '6472********0001'))).toEqual([
        'NIK corrected from 6472********0001 to 6472********0001 (the digits corrected are ' +
          'hidden by the mask) (reason: NIK tertukar digit, sesuai KTP)',
      ]);
    });

    it('writes rupiah with a comma between thousands', () => {
      const reversed = (valueRupiah: number) => reversalSummaries('Data ganda', valueRupiah);
      expect([999, 1_000, 4_750_500, 120_000_000].flatMap(reversed)).toEqual([
        `Disbursement ${SITI_AID} of Rp999 reversed on 2025-04-02: Data ganda`,
        `Disbursement ${SITI_AID} of Rp1,000 reversed on 2025-04-02: Data ganda`,
        `Disbursement ${SITI_AID} of Rp4,750,500 reversed on 2025-04-02: Data ganda`,
        `Disbursement ${SITI_AID} of Rp120,000,000 reversed on 2025-04-02: Data ganda`,
      ]);
    });
  });

  describe('replay', () => {
    it('gives the same entries live and rebuilt after an erasure, none naming her', async () => {
      const keyed = 'key-siti';
      const { live, rebuilt } = await liveAndRebuilt(auditTrailProjection, [
        rseRegistered(SITI, { dataKeyId: keyed, phone: PHONE, address: ADDRESS }),
        detailsCorrected([
          { field: 'name', dataKeyId: keyed, before: 'Siti Aminah', after: 'Siti Aminah Rahman' },
          { field: 'address', dataKeyId: keyed, before: ADDRESS, after: null },
        ]),
        aidDisbursed(SITI),
        monitoringRecorded(SITI, { notes: 'Bu Siti Aminah membuka lapak kedua', dataKeyId: keyed }),
        personalDataErased(SITI, { dataKeyIds: [keyed] }),
      ]);
      expect(live).toStrictEqual(rebuilt);
      expect(Object.values(live).map((entry) => entry.summary)).toEqual([
        'RSE recipient registered in Kota Samarinda (NIK 6472********0001)',
        'Details corrected: name changed; address removed (reason: Salah ketik saat pendaftaran)',
        `RSE aid of Rp5,000,000 in materials disbursed on 2025-03-10 for 2025 (${SITI_AID})`,
        'Monitoring visit on 2025-06-20: growing, 2 workers',
        'Personal data erased: whole recipient (reason: Permintaan penghapusan oleh subjek data ' +
          '(UU PDP Pasal 8), reference: PDP/2026/017)',
      ]);
    });

    it('changes nothing when any prefix of the events is applied again', () => {
      spec.given(everything).thenReplayingAnyPrefixChangesNothing();
    });

    it('keeps one entry per event when the history is applied twice', () => {
      const once = Object.fromEntries(replay(auditTrailProjection, eventLog(everything)));
      spec.givenTwice(everything).thenDocuments(once);
      expect(Object.keys(once)).toHaveLength(everything.length);
    });
  });
});
