import { isIP } from 'node:net';

// Addresses a webhook may never reach: the service's own host, its private network, the cloud
// metadata service. Checked on bytes, so every spelling of an address (IPv4-mapped IPv6, NAT64,
// 6to4, an IPv6 zone) is judged by the IPv4 address it carries.
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, with the metadata service at 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
];

const BLOCKED_V6: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local, with AWS's metadata at fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

/** 4 or 16 bytes, or null when `address` is not an IP address. */
export function ipBytes(address: string): Uint8Array | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return Uint8Array.from(bare.split('.').map(Number));
  if (family !== 6) return null;
  let text = bare.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

function inPrefix(bytes: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((bytes[bit >> 3]! & mask) !== (prefix[bit >> 3]! & mask)) return false;
  }
  return true;
}

const compile = (ranges: [string, number][]) => ranges.map(([address, bits]) => ({ prefix: ipBytes(address)!, bits }));
const V4 = compile(BLOCKED_V4);
const V6 = compile(BLOCKED_V6);
const IPV4_MAPPED = compile([['::ffff:0:0', 96]])[0]!;
const IPV4_COMPATIBLE = compile([['::', 96]])[0]!;
const NAT64 = compile([['64:ff9b::', 96]])[0]!;
const NAT64_LOCAL = compile([['64:ff9b:1::', 48]])[0]!;
const SIX_TO_FOUR = compile([['2002::', 16]])[0]!;

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
function embeddedV4(bytes: Uint8Array): Uint8Array | null {
  for (const form of [IPV4_MAPPED, IPV4_COMPATIBLE, NAT64, NAT64_LOCAL]) {
    if (inPrefix(bytes, form.prefix, form.bits)) return bytes.slice(12, 16);
  }
  if (inPrefix(bytes, SIX_TO_FOUR.prefix, SIX_TO_FOUR.bits)) return bytes.slice(2, 6);
  return null;
}

/** True for loopback, private, link-local, metadata, CGNAT, unspecified, multicast and reserved addresses, in any spelling. */
export function isBlockedAddress(address: string): boolean {
  const bytes = ipBytes(address);
  if (!bytes) return true;
  if (bytes.length === 4) return V4.some((range) => inPrefix(bytes, range.prefix, range.bits));
  if (V6.some((range) => inPrefix(bytes, range.prefix, range.bits))) return true;
  const v4 = embeddedV4(bytes);
  return v4 !== null && V4.some((range) => inPrefix(v4, range.prefix, range.bits));
}
