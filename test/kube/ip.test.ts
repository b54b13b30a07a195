/** The one IP-literal rule (src/kube/ip.ts): finding v4 and v6 addresses in text, and telling whether a string is one. */
import { describe, expect, it } from 'vitest';
import { inSubnet, ipLiterals, isIpAddress, isIPv6 } from '../../src/kube/ip.js';

describe('ipLiterals', () => {
  it('finds IPv4 and IPv6 addresses in text', () => {
    expect(ipLiterals('postgres://u:p@10.0.0.5:5432/db and http://[2001:db8::1]:80/ via fe80::1%eth0')).toEqual([
      '10.0.0.5',
      '2001:db8::1',
      'fe80::1',
    ]);
    expect(ipLiterals('server 192.168.1.10;\nbackup ::ffff:10.1.2.3')).toEqual(['192.168.1.10', '::ffff:10.1.2.3']);
    expect(ipLiterals('2001:0db8:0000:0000:0000:ff00:0042:8329')).toEqual(['2001:0db8:0000:0000:0000:ff00:0042:8329']);
  });
  it('skips loopback, wildcard, CIDRs, netmasks, versions, times and MACs', () => {
    for (const t of [
      '0.0.0.0:80',
      '127.0.0.1',
      '127.0.1.1',
      '::',
      '::1',
      '[::1]:8080',
      'allow 10.0.0.0/8;',
      'fd00::/8',
      'mask 255.255.255.0',
      'v1.2.3.4',
      'at 12:30:45',
      'mac 00:1a:2b:3c:4d:5e',
      '1.2.3.456',
      'std::vector',
      'app:1.2.3',
    ])
      expect(ipLiterals(t), t).toEqual([]);
  });
  it('validates IPv6 strictly', () => {
    expect(['::', '1::', '::1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4'].every(isIPv6)).toBe(true);
    expect(['1:2:3:4:5:6:7', '1::2::3', ':1:2', '1:2:3:4:5:6:7:8:9', '12345::', '1:2:3:4:5:6:7::8'].some(isIPv6)).toBe(
      false,
    );
  });
});

describe('isIpAddress', () => {
  it('accepts v4 and v6 literals only', () => {
    expect(['10.0.0.1', '8.8.8.8', '2001:db8::1', '::1'].every(isIpAddress)).toBe(true);
    expect(['dns.local', '1.2.3', '1.2.3.256', 'fe80::1%eth0', 'a:b:c', ''].some(isIpAddress)).toBe(false);
  });
});

describe('inSubnet', () => {
  it('is true for an address inside a v4 or v6 range, false outside it or across families', () => {
    expect(inSubnet('172.20.0.2', '172.20.0.0/24')).toBe(true);
    expect(inSubnet('172.20.1.2', '172.20.0.0/24')).toBe(false);
    expect(inSubnet('1.1.1.1', '0.0.0.0/0')).toBe(true);
    expect(inSubnet('fd00::5', 'fd00::/64')).toBe(true);
    expect(inSubnet('fd01::5', 'fd00::/64')).toBe(false);
    expect(inSubnet('::ffff:10.0.0.1', '::ffff:10.0.0.0/104')).toBe(true);
    expect(inSubnet('10.0.0.1', 'fd00::/8')).toBe(false);
    expect(inSubnet('10.0.0.1', '10.0.0.0')).toBe(false);
    expect(inSubnet('10.0.0.1', '10.0.0.0/33')).toBe(false);
  });
});
