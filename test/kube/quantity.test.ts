/** Kubernetes quantities (src/kube/quantity.ts): one way to write bytes and cores, one way to recognise a quantity. */
import { describe, expect, test } from 'vitest';
import { bytesQuantity, cpuQuantity, cpuRounded, isQuantity, quantityValue } from '../../src/kube/quantity.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('quantities', () => {
  test('cpu: fractions in millicores, whole cores plain, at least 1m', () => {
    expect(cpuQuantity(0.5)).toBe('500m');
    expect(cpuQuantity(2)).toBe('2');
    expect(cpuQuantity(1.25)).toBe('1250m');
    expect(cpuQuantity(0.0001)).toBe('1m');
    expect(cpuRounded(0.0001)).toBe(true);
    expect(cpuRounded(0.25)).toBe(false);
  });

  test('bytes: the largest exact binary suffix, else bytes', () => {
    expect(bytesQuantity(512 * MiB)).toBe('512Mi');
    expect(bytesQuantity(2 * GiB)).toBe('2Gi');
    expect(bytesQuantity(1536 * MiB)).toBe('1536Mi');
    expect(bytesQuantity(3 * 1024)).toBe('3Ki');
    expect(bytesQuantity(4 * 1024 * GiB)).toBe('4Ti');
    expect(bytesQuantity(1_000_000)).toBe('1000000');
    expect(bytesQuantity(1500)).toBe('1500');
  });

  test('what a quantity looks like', () => {
    expect(['1Gi', '500m', '0.5', '1e3', '+2', '.5Ki'].every(isQuantity)).toBe(true);
    expect(['1GB', 'banana', '', '-1', '1 Gi', '1gi'].some(isQuantity)).toBe(false);
  });
});

describe('quantityValue', () => {
  test('reads suffixes, exponents and plain numbers; refuses what is no quantity', () => {
    expect(quantityValue('500m')).toBe(0.5);
    expect(quantityValue('1Gi')).toBe(1024 ** 3);
    expect(quantityValue('128M')).toBe(128e6);
    expect(quantityValue('1e3')).toBe(1000);
    expect(quantityValue('2')).toBe(2);
    expect(quantityValue('1.5Ki')).toBe(1536);
    expect(quantityValue('1 Gi')).toBeUndefined();
    expect(quantityValue('1GB')).toBeUndefined();
  });
});
