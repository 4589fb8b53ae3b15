import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/**
 * What each ipaddr.js range other than `unicast` is, for the refusal message. ipaddr.js keeps the IANA
 * special-purpose registries (and multicast, 240/4, site-local); a range missing here is refused all the
 * same, under its ipaddr.js name, so a newer ipaddr.js can only add refusals.
 */
const RANGE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified address',
  broadcast: 'the limited broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address (100.64.0.0/10)',
  private: 'a private address (10/8, 172.16/12, 192.168/16)',
  reserved: 'a reserved, documentation or IETF protocol address',
  benchmarking: 'a benchmarking address',
  amt: 'an AMT relay anycast address',
  as112: 'an AS112 DNS sink address',
  as112v6: 'an AS112 DNS sink address',
  uniqueLocal: 'a unique local address (fc00::/7)',
  deprecatedSiteLocal: 'a site-local address (fec0::/10, deprecated)',
  discard: 'a discard-only address (100::/64)',
  deprecatedOrchid: 'an ORCHID identifier (2001:10::/28)',
  orchid2: 'an ORCHIDv2 identifier (2001:20::/28)',
  droneRemoteIdProtocolEntityTags: 'a drone remote ID tag (2001:30::/28)',
  segmentRouting: 'an SRv6 segment identifier (5f00::/16)',
  // Teredo embeds a server and an obfuscated client address, but where a packet ends up is decided by the
  // client's NAT mapping, not by either; Teredo's public servers are gone, and IANA lists 2001::/23 as
  // special-purpose. No receiver lives there: the whole prefix is refused rather than decoded.
  teredo: 'a Teredo address (2001::/32), refused whatever it embeds',
  // The local-use NAT64 prefix (RFC 8215) is split by each network at a prefix length of its own choice,
  // so where the IPv4 address sits cannot be known from outside; IANA marks it not globally reachable.
  rfc6052: 'a local-use NAT64 address (64:ff9b:1::/48)',
};

/** The last 32 bits of an IPv6 address as IPv4, where RFC 6052 /96 prefixes and ::ffff: forms put it. */
const lowIPv4 = (address: IPv6): IPv4 => {
  const [, , , , , , high = 0, low = 0] = address.parts;
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
};

/**
 * IPv6 forms that carry an IPv4 address and reach it (through a translator, a tunnel or the local stack):
 * such an address is as public as the IPv4 address inside. ipaddr.js names these ranges but does not
 * look inside them.
 */
const EMBEDDED_IPV4: readonly { form: string; prefix: [IPv6, number]; ipv4: (address: IPv6) => IPv4 }[] = [
  { form: 'IPv4-mapped ::ffff:0:0/96', prefix: ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), ipv4: lowIPv4 },
  // SIIT (RFC 6145), "IPv4-translated".
  {
    form: 'IPv4-translated ::ffff:0:0:0/96',
    prefix: ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'),
    ipv4: lowIPv4,
  },
  // In a VPC with DNS64 and a NAT64 gateway this prefix reaches the VPC's own IPv4 network.
  { form: 'NAT64 64:ff9b::/96', prefix: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), ipv4: lowIPv4 },
  {
    form: '6to4 2002::/16',
    prefix: ipaddr.IPv6.parseCIDR('2002::/16'),
    ipv4: (address) => {
      const [, high = 0, low = 0] = address.parts;
      return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
    },
  },
  // Deprecated (RFC 4291), but some stacks still route it as IPv4; `::` and `::1` are caught before.
  { form: 'IPv4-compatible ::/96', prefix: ipaddr.IPv6.parseCIDR('::/96'), ipv4: lowIPv4 },
];

/** Global unicast (IANA IPv6 address space): everything else is reserved by the IETF or not routed. */
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

const describe = (range: string): string =>
  RANGE_DESCRIPTIONS[range] ?? `a special-purpose address (${range})`;

const ipv4Refusal = (address: IPv4): string | undefined => {
  const range = address.range();
  return range === 'unicast' ? undefined : describe(range);
};

const ipv6Reason = (text: string, address: IPv6): string | undefined => {
  const range = address.range();
  if (range === 'loopback' || range === 'unspecified') return `${text} is ${describe(range)}`;
  const embedding = EMBEDDED_IPV4.find(({ prefix }) => address.match(prefix));
  if (embedding) {
    const ipv4 = embedding.ipv4(address);
    const refusal = ipv4Refusal(ipv4);
    return refusal ? `${text} embeds ${ipv4} (${embedding.form}), ${refusal}` : undefined;
  }
  if (range !== 'unicast') return `${text} is ${describe(range)}`;
  if (!address.match(GLOBAL_UNICAST)) return `${text} is outside the global unicast space 2000::/3`;
  return undefined;
};

/**
 * Why a callback may not reach `address`, or undefined when it is a public unicast address. Refuses every
 * range of the IANA IPv4 and IPv6 special-purpose registries, multicast and 240/4, and IPv6 forms that embed
 * a non-public IPv4 address (NAT64, 6to4, IPv4-mapped, -translated and -compatible). Used at registration
 * for literal IPs and by the sender at DNS lookup and on the connected socket.
 */
export const nonPublicReason = (address: string): string | undefined => {
  // Node's strict syntax first: ipaddr.js would also read `0x7f.1` or `010.0.0.1`, which are not addresses
  // anything here hands over.
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (family === 4) {
    const refusal = ipv4Refusal(ipaddr.IPv4.parse(address));
    return refusal ? `${address} is ${refusal}` : undefined;
  }
  return ipv6Reason(address, ipaddr.IPv6.parse(address));
};

/** Host names that always mean this machine, whatever DNS says. */
export const isLocalHostName = (host: string): boolean => {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
};
