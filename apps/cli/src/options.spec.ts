import { COTAHIST_URL } from '@b3lake/scraper';
import { RUN_KINDS, cotahistUrlOf, isLive, runKinds, tickerList } from './options';

const sites = { fundamentusUrl: 'http://127.0.0.1:8080', b3Url: 'http://127.0.0.1:8080', timeout: 1, retries: 1 };

describe('the sources of a command', () => {
  it("treats B3's COTAHIST host as live, a mirror or the replay server not", () => {
    expect(isLive({ ...sites, cotahistUrl: COTAHIST_URL }, { cotahist: true })).toBe(true);
    expect(
      isLive({ ...sites, cotahistUrl: 'https://BVMF.bmfbovespa.com.br/InstDados/SerHist/' }, { cotahist: true }),
    ).toBe(true);
    expect(isLive({ ...sites }, { cotahist: true })).toBe(true);
    expect(isLive({ ...sites, cotahistUrl: 'http://127.0.0.1:8080/InstDados/SerHist/' }, { cotahist: true })).toBe(
      false,
    );
    expect(isLive({ ...sites, cotahistUrl: COTAHIST_URL }, { fundamentus: true, b3: true })).toBe(false);
  });

  it("finds the COTAHIST files beside a B3 mirror given with --b3-url, else at B3's", () => {
    expect(cotahistUrlOf({ b3Url: 'http://127.0.0.1:8080/' })).toBe('http://127.0.0.1:8080/InstDados/SerHist/');
    expect(cotahistUrlOf({ b3Url: 'https://sistemaswebb3-listados.b3.com.br' })).toBe(COTAHIST_URL);
    expect(cotahistUrlOf({})).toBe(COTAHIST_URL);
    expect(cotahistUrlOf({ b3Url: 'http://127.0.0.1:8080', cotahistUrl: 'http://mirror/x/' })).toBe('http://mirror/x/');
  });

  it('takes cotahist and proventos as kinds of run', () => {
    expect(RUN_KINDS).toEqual(['acoes', 'fiis', 'ibov', 'cotahist', 'proventos']);
    expect(runKinds('acoes,cotahist')).toEqual(['acoes', 'cotahist']);
    expect(runKinds('proventos')).toEqual(['proventos']);
    expect(() => runKinds('prices')).toThrow('takes acoes, fiis, ibov, cotahist and/or proventos, comma-separated.');
  });

  it('reads --tickers upper-cased, without repeats, each a ticker', () => {
    expect(tickerList('hglg11, PETR4,hglg11')).toEqual(['HGLG11', 'PETR4']);
    expect(() => tickerList('PETR4,PETR4;DROP')).toThrow('(not a ticker: PETR4;DROP)');
    expect(() => tickerList(',')).toThrow('takes tickers such as PETR4,HGLG11');
  });
});
