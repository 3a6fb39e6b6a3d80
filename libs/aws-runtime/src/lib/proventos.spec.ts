import { InvalidListEventError, parseListEvent, proventosQueue } from './proventos';
import { MissingEnvError, readEnv } from './env';

describe('parseListEvent', () => {
  it('takes the daily schedule’s {}, the weekly one’s proventos event, and an operator’s date', () => {
    expect(parseListEvent({})).toEqual({ kind: 'extract', weekly: false });
    expect(parseListEvent(undefined)).toEqual({ kind: 'extract', weekly: false });
    expect(parseListEvent({ date: '2022-05-24' })).toEqual({ kind: 'extract', date: '2022-05-24', weekly: false });
    expect(parseListEvent({ kind: 'proventos', weekly: true })).toEqual({ kind: 'proventos', weekly: true });
    expect(parseListEvent({ kind: 'proventos', date: '2022-05-24' })).toEqual({
      kind: 'proventos',
      date: '2022-05-24',
      weekly: false,
    });
  });

  it('names what is wrong', () => {
    expect(() => parseListEvent({ kind: 'dividends' })).toThrow(InvalidListEventError);
    expect(() => parseListEvent({ kind: 'proventos', weekly: 'yes' })).toThrow(/weekly: expected true or false/);
    expect(() => parseListEvent({ kind: 'extract', weekly: true })).toThrow(/only with kind "proventos"/);
    expect(() => parseListEvent('proventos')).toThrow(/a JSON object/);
  });
});

describe('proventosQueue', () => {
  it('needs QUEUE_PROVENTOS_URL once there is a job to send', async () => {
    const env = readEnv({
      BUCKET_LANDING: 'l',
      BUCKET_SOR: 's',
      BUCKET_SOT: 't',
      BUCKET_SPEC: 'p',
      BUCKET_REFINED: 'r',
    });
    await expect(proventosQueue(env).send([])).resolves.toBeUndefined();
    await expect(proventosQueue(env).send([{ ticker: 'PETR4', kind: 'acoes', anomesdia: 20220527 }])).rejects.toThrow(
      MissingEnvError,
    );
    expect(
      readEnv({
        BUCKET_LANDING: 'l',
        BUCKET_SOR: 's',
        BUCKET_SOT: 't',
        BUCKET_SPEC: 'p',
        BUCKET_REFINED: 'r',
        QUEUE_PROVENTOS_URL: 'https://q',
      }).proventosQueue,
    ).toBe('https://q');
  });
});
