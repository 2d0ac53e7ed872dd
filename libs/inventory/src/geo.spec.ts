import { haversineMeters, isOpenAt, isValidTimezone, localSecondsOfDay } from './geo.js';

describe('haversineMeters', () => {
  it('is zero for the same point and symmetric', () => {
    const a = { lat: 12.9716, lng: 77.5946 };
    const b = { lat: 12.9352, lng: 77.6245 };
    expect(haversineMeters(a, a)).toBe(0);
    expect(haversineMeters(a, b)).toBeCloseTo(haversineMeters(b, a), 6);
  });

  it('matches known distances', () => {
    // One degree of latitude is about 111.2 km.
    expect(haversineMeters({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111_195, -1);
    // Bengaluru MG Road to Koramangala: about 5.1 km.
    const d = haversineMeters({ lat: 12.9756, lng: 77.6067 }, { lat: 12.9352, lng: 77.6245 });
    expect(d).toBeGreaterThan(4_800);
    expect(d).toBeLessThan(5_200);
  });
});

describe('isOpenAt', () => {
  const ist = (hhmm: string) => new Date(`2026-11-26T${hhmm}:00+05:30`);
  const day = { opensAt: '07:00:00', closesAt: '23:00:00', timezone: 'Asia/Kolkata' };

  it('uses the store timezone', () => {
    expect(localSecondsOfDay(ist('07:30'), 'Asia/Kolkata')).toBe(7 * 3600 + 30 * 60);
  });

  it('is open inside the hours, closed outside, closing time exclusive', () => {
    expect(isOpenAt(day, ist('06:59'))).toBe(false);
    expect(isOpenAt(day, ist('07:00'))).toBe(true);
    expect(isOpenAt(day, ist('22:59'))).toBe(true);
    expect(isOpenAt(day, ist('23:00'))).toBe(false);
  });

  it('handles hours that cross midnight', () => {
    const night = { opensAt: '20:00:00', closesAt: '02:00:00', timezone: 'Asia/Kolkata' };
    expect(isOpenAt(night, ist('23:30'))).toBe(true);
    expect(isOpenAt(night, ist('01:59'))).toBe(true);
    expect(isOpenAt(night, ist('02:00'))).toBe(false);
    expect(isOpenAt(night, ist('12:00'))).toBe(false);
  });

  it('treats equal open and close times as around the clock', () => {
    expect(
      isOpenAt({ opensAt: '00:00:00', closesAt: '00:00:00', timezone: 'UTC' }, ist('03:00')),
    ).toBe(true);
  });

  it('validates timezones', () => {
    expect(isValidTimezone('Asia/Kolkata')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
  });
});
