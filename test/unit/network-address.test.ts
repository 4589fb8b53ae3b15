import { describe, expect, it } from 'vitest';
import { isLocalHostName, nonPublicReason } from '../../lambdas/domain/network-address.ts';

// One row per range of the IANA IPv4 and IPv6 special-purpose address registries (plus multicast, 240/4 and
// site-local), and per IPv6 form that embeds an IPv4 address: a sample inside it and what the refusal says.
const REFUSED: readonly [range: string, address: string, reason: RegExp][] = [
  // IPv4
  ['0.0.0.0/8 "this network"', '0.1.2.3', /unspecified/],
  ['10.0.0.0/8 private', '10.0.0.1', /private/],
  ['100.64.0.0/10 CGNAT', '100.64.1.1', /carrier-grade NAT/],
  ['127.0.0.0/8 loopback', '127.8.9.10', /loopback/],
  ['169.254.0.0/16 link-local (metadata)', '169.254.169.254', /link-local/],
  ['172.16.0.0/12 private', '172.31.255.1', /private/],
  ['192.0.0.0/24 IETF protocol assignments', '192.0.0.9', /reserved/],
  ['192.0.2.0/24 TEST-NET-1', '192.0.2.10', /reserved/],
  ['192.31.196.0/24 AS112-v4', '192.31.196.1', /AS112/],
  ['192.52.193.0/24 AMT', '192.52.193.1', /AMT/],
  ['192.88.99.0/24 6to4 relay anycast (deprecated)', '192.88.99.1', /reserved/],
  ['192.168.0.0/16 private', '192.168.0.1', /private/],
  ['192.175.48.0/24 direct delegation AS112', '192.175.48.1', /AS112/],
  ['198.18.0.0/15 benchmarking', '198.19.0.1', /reserved/],
  ['198.51.100.0/24 TEST-NET-2', '198.51.100.7', /reserved/],
  ['203.0.113.0/24 TEST-NET-3', '203.0.113.7', /reserved/],
  ['224.0.0.0/4 multicast', '239.1.2.3', /multicast/],
  ['240.0.0.0/4 reserved', '250.1.2.3', /reserved/],
  ['255.255.255.255/32 limited broadcast', '255.255.255.255', /broadcast/],
  // IPv6
  ['::1/128 loopback', '::1', /loopback/],
  ['::/128 unspecified', '::', /unspecified/],
  [
    '::ffff:0:0/96 IPv4-mapped of loopback',
    '::ffff:127.0.0.1',
    /embeds 127\.0\.0\.1 \(IPv4-mapped.*loopback/,
  ],
  ['::ffff:0:0/96 IPv4-mapped of private (hex)', '::ffff:a00:1', /embeds 10\.0\.0\.1 \(IPv4-mapped.*private/],
  ['::ffff:0:0:0/96 IPv4-translated', '::ffff:0:a9fe:a9fe', /embeds 169\.254\.169\.254 \(IPv4-translated/],
  ['::/96 IPv4-compatible of loopback', '::7f00:1', /embeds 127\.0\.0\.1 \(IPv4-compatible.*loopback/],
  ['64:ff9b::/96 NAT64 of private', '64:ff9b::a00:1', /embeds 10\.0\.0\.1 \(NAT64.*private/],
  ['64:ff9b::/96 NAT64 of metadata', '64:ff9b::a9fe:a9fe', /embeds 169\.254\.169\.254 \(NAT64.*link-local/],
  ['64:ff9b:1::/48 local-use NAT64', '64:ff9b:1::808:808', /local-use NAT64/],
  ['100::/64 discard-only', '100::1', /discard-only/],
  ['100:0:0:1::/64 dummy prefix', '100:0:0:1::1', /outside the global unicast space/],
  ['2001::/32 Teredo (private server and client)', '2001:0:a00:1::1', /Teredo/],
  ['2001::/32 Teredo (public server and client)', '2001:0:808:808:0:0:f7f7:f7f7', /Teredo/],
  ['2001:1::1/128 port control anycast (2001::/23)', '2001:1::1', /reserved/],
  ['2001:2::/48 benchmarking', '2001:2::1', /benchmarking/],
  ['2001:3::/32 AMT', '2001:3::1', /AMT/],
  ['2001:4:112::/48 AS112-v6', '2001:4:112::1', /AS112/],
  ['2001:10::/28 ORCHID (deprecated)', '2001:10::1', /ORCHID/],
  ['2001:20::/28 ORCHIDv2', '2001:20::1', /ORCHIDv2/],
  ['2001:30::/28 drone remote ID', '2001:30::1', /drone/],
  ['2001:db8::/32 documentation', '2001:db8::1', /reserved, documentation/],
  ['2002::/16 6to4 of private', '2002:a00:1::1', /embeds 10\.0\.0\.1 \(6to4.*private/],
  ['2002::/16 6to4 of loopback', '2002:7f00:1::1', /embeds 127\.0\.0\.1 \(6to4.*loopback/],
  ['2620:4f:8000::/48 direct delegation AS112', '2620:4f:8000::1', /AS112/],
  ['3fff::/20 documentation', '3fff:fff::1', /reserved, documentation/],
  ['5f00::/16 SRv6 SIDs', '5f00::1', /SRv6/],
  ['fc00::/7 unique local', 'fd12:3456::1', /unique local/],
  ['fe80::/10 link-local', 'fe80::1', /link-local/],
  ['fe80::/10 link-local with a zone', 'fe80::1%eth0', /link-local/],
  ['fec0::/10 site-local (deprecated)', 'fec0::1', /site-local/],
  ['ff00::/8 multicast', 'ff02::1', /multicast/],
  ['::/8 reserved by IETF, no embedded form', '::1:0:0:0', /outside the global unicast space/],
  ['4000::/3 unassigned', '4000::1', /outside the global unicast space/],
];

const PUBLIC: readonly [what: string, address: string][] = [
  ['IPv4 unicast', '8.8.8.8'],
  ['IPv4 unicast next to 172.16/12', '172.32.0.1'],
  ['IPv4 unicast next to 100.64/10', '100.128.0.1'],
  ['IPv6 global unicast', '2606:4700::1111'],
  ['IPv4-mapped of public (dual-stack sockets report these)', '::ffff:8.8.8.8'],
  ['NAT64 of public', '64:ff9b::808:808'],
  ['6to4 of public', '2002:808:808::1'],
];

describe('nonPublicReason', () => {
  it.each(REFUSED)('refuses %s (%s)', (_, address, reason) => {
    const refusal = nonPublicReason(address);
    expect(refusal).toMatch(reason);
    expect(refusal).toContain(address);
  });

  it.each(PUBLIC)('allows %s (%s)', (_, address) => {
    expect(nonPublicReason(address)).toBeUndefined();
  });

  it.each(['erp.example.com', '0x7f.1', '010.0.0.1', '127.1', '::ffff:1.2.3', ''])(
    'calls %j not an IP address rather than guessing how it reads',
    (input) => {
      expect(nonPublicReason(input)).toBe('not an IP address');
    },
  );
});

describe('isLocalHostName', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST.', true],
    ['api.localhost', true],
    ['localhost.example.com', false],
    ['notlocalhost', false],
  ])('%s → %s', (host, expected) => {
    expect(isLocalHostName(host)).toBe(expected);
  });
});
