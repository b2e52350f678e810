// `-p` values the input box must accept or refuse, where a looser check would let through what
// nerdctl cannot parse: signs, spaces, hex and exponents in ports, a host part glued to the IPv6
// brackets, three-part ranges, and a host port past 65535 after an address.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { portMapping } from '../../src/nerdctl/validate';

const notAMapping = (value: string): string =>
  `"${value}" is not a port mapping: expected [ip:][hostPort:]containerPort[/tcp|udp|sctp], e.g. 8080:80 or 127.0.0.1:8080:80/tcp (ports 1-65535, ranges as 8000-8010)`;

describe('port mappings as the -p input box checks them', () => {
  it('refuses a port that JavaScript would read as a number but is not digits only', () => {
    // Number() takes all of these as 80; nerdctl takes none.
    for (const value of ['8080: 80', '8080:+80', '8080:0x50', '8080:80 ', '8080:8e1', ' 80', '80 ']) {
      assert.equal(portMapping(value), notAMapping(value), JSON.stringify(value));
    }
  });

  it('refuses a range with a third part', () => {
    for (const value of ['8000-8010-8020', '80-90-100:80', '8000-8010-8020:8000-8010']) assert.equal(portMapping(value), notAMapping(value), value);
  });

  it('takes IPv4 host addresses with octets from 100 to 249 in any place', () => {
    for (const value of ['10.200.0.1:8080:80', '10.0.0.201:8080:80', '10.0.0.240:8080:80', '172.16.0.99:8080:80', '192.168.0.150:8080:80', '249.248.247.246:8080:80']) {
      assert.equal(portMapping(value), undefined, value);
    }
  });

  it('refuses text before or after an IPv6 address\'s brackets', () => {
    for (const value of ['x[::1]:8080:80', '[::1]x]:8080:80', '[::1]8080:80', '[::1]8080:80/udp']) assert.equal(portMapping(value), notAMapping(value), value);
  });

  it('refuses an IPv6 address with only a container port: the address needs a host port part', () => {
    assert.equal(portMapping('[::1]:80'), notAMapping('[::1]:80'));
    assert.equal(portMapping('[::1]::80'), undefined);
  });

  it('checks the host port after an IPv4 address like any other host port', () => {
    for (const value of ['127.0.0.1:99999:80', '127.0.0.1:abc:80', '127.0.0.1:0:80', '127.0.0.1:9000-8000:80']) assert.equal(portMapping(value), notAMapping(value), value);
    assert.equal(portMapping('127.0.0.1:8000-8001:80-81'), undefined);
    assert.equal(portMapping('127.0.0.1:8000-8002:80-81'), '"127.0.0.1:8000-8002:80-81": the host range and the container range have different lengths');
  });

  it('takes a host range for one container port, and refuses a container range longer than its host part', () => {
    // nerdctl (pkg/portutil ParseFlagP) takes a host range for a single container port, and
    // refuses a container range whose host part has another length, a single port included.
    assert.equal(portMapping('8080-8081:80'), undefined);
    assert.equal(portMapping('127.0.0.1:8080-8090:80/udp'), undefined);
    assert.equal(portMapping('8080:80-90'), '"8080:80-90": the host range and the container range have different lengths');
    assert.equal(portMapping('8080-8081:80-90'), '"8080-8081:80-90": the host range and the container range have different lengths');
  });
});
