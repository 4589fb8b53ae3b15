import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a callback must never reach unless the deployment allows it: loopback, private, link-local
 * (cloud metadata at 169.254.169.254), CGNAT, unspecified, multicast, reserved and documentation ranges, and
 * their IPv6 counterparts. Used at registration for literal IPs and (later) by the sender at connect time.
 */
const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv6');
}

/** Why an address is refused, or undefined when it is a public unicast address. */
export const nonPublicReason = (address: string): string | undefined => {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) {
      return nonPublicReason(mapped[1]) ?? undefined;
    }
    if (/^::ffff:/i.test(address)) return 'IPv4-mapped IPv6 address';
  }
  return nonPublic.check(address, family === 4 ? 'ipv4' : 'ipv6')
    ? `${address} is a loopback, private, link-local or reserved address`
    : undefined;
};

/** Host names that always mean this machine, whatever DNS says. */
export const isLocalHostName = (host: string): boolean => {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
};
