// Private registries: which host strings nerdctl login may get, the registry of an image, the
// login/logout argv, the registries a credentials file names, and the advice for each failure
// (the real nerdctl outputs these patterns come from are in test/integration/registry.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostsDirectories, loggedInRegistries, loginArgs, logoutArgs, pushesEveryPlatform, registryFailureAdvice, registryHost, registryOfReference } from '../../src/nerdctl/registry';

describe('registry hosts', () => {
  it('accepts host names, IPv4 and bracketed IPv6 addresses, each with an optional port', () => {
    for (const host of ['registry.example', 'registry.example:5000', '127.0.0.1:5000', '[::1]:5000', 'localhost', 'a', 'my-registry.internal:65535', 'r:1']) {
      assert.equal(registryHost(host), undefined, host);
    }
  });

  it('refuses schemes, paths, options, bad ports and stray characters, saying what is expected', () => {
    assert.match(registryHost('') ?? '', /is empty: expected a host with an optional port/);
    assert.match(registryHost('--password=x') ?? '', /starts with "-", which nerdctl would read as an option/);
    for (const host of ['https://registry.example', 'registry.example/team', 'registry.example:', 'registry..example', '-r', 'reg istry', 'reg\nistry', 'registry.example:abc', 'host-:5000', '[::1']) {
      assert.ok(registryHost(host) !== undefined, host);
    }
    assert.match(registryHost('registry.example/team') ?? '', /"registry\.example\/team" is not a registry host: expected host\[:port\] without a scheme or path/);
    assert.match(registryHost('registry.example:0') ?? '', /The port of "registry\.example:0" is 0: expected 1 to 65535/);
    assert.match(registryHost('registry.example:65536') ?? '', /is 65536/);
    assert.match(registryHost('registry.example:123456') ?? '', /The port of "registry\.example:123456" is 123456: expected 1 to 65535/);
    assert.match(registryHost('[::1]:0') ?? '', /is 0/);
    assert.equal(registryHost('[::1]'), undefined);
  });
});

describe('the registry of an image', () => {
  it('is docker.io for short names and the first component when it is a host', () => {
    assert.equal(registryOfReference('busybox'), 'docker.io');
    assert.equal(registryOfReference('library/busybox:1.36'), 'docker.io');
    assert.equal(registryOfReference('index.docker.io/user/app'), 'docker.io');
    assert.equal(registryOfReference('registry.example:5000/team/app:v1'), 'registry.example:5000');
    assert.equal(registryOfReference('localhost/app'), 'localhost');
    assert.equal(registryOfReference('192.0.2.2:5000/a@sha256:' + 'a'.repeat(64)), '192.0.2.2:5000');
  });

  it('is unknown for names that are no reference (a bare digest, <none>)', () => {
    assert.equal(registryOfReference(`sha256:${'b'.repeat(64)}`), undefined);
    assert.equal(registryOfReference('<none>@sha256:x'), undefined);
  });
});

describe('login and logout argv', () => {
  it('passes the user in --username= (a leading "-" stays a value) and the password through stdin, the host after --', () => {
    assert.deepEqual(loginArgs('registry.example:5000', 'ci-bot'), ['login', '--username=ci-bot', '--password-stdin', '--', 'registry.example:5000']);
    assert.deepEqual(loginArgs('r.example', '-p'), ['login', '--username=-p', '--password-stdin', '--', 'r.example']);
    assert.deepEqual(logoutArgs('r.example:443'), ['logout', '--', 'r.example:443']);
  });

  it('refuses an empty or multi-line user and a host that is no host, before anything runs', () => {
    assert.throws(() => loginArgs('r.example', ''), /^Error: The user name is empty$/);
    assert.throws(() => loginArgs('r.example', 'a\nb'), /^Error: The user name contains a control character$/);
    assert.throws(() => loginArgs('r.example', 'a\u007f'), /control character/);
    assert.throws(() => loginArgs('--insecure', 'u'), /starts with "-"/);
    assert.throws(() => logoutArgs('https://r.example'), /not a registry host/);
  });
});

describe('the registries a credentials file names', () => {
  it('lists the auths keys as hosts, sorted, without scheme or path', () => {
    const config = JSON.stringify({ auths: { 'registry.example:5000': { auth: 'x' }, 'https://index.docker.io/v1/': {}, 'a.example': {} }, credsStore: 'pass' });
    assert.deepEqual(loggedInRegistries(config), ['a.example', 'index.docker.io', 'registry.example:5000']);
  });

  it('is empty for a file without auths, with another shape, or that is no JSON, and skips keys that are no host', () => {
    assert.deepEqual(loggedInRegistries('{}'), []);
    assert.deepEqual(loggedInRegistries('{"auths": null}'), []);
    assert.deepEqual(loggedInRegistries('{"auths": "x"}'), []);
    assert.deepEqual(loggedInRegistries('null'), []);
    assert.deepEqual(loggedInRegistries('{"auths": {'), []);
    assert.deepEqual(loggedInRegistries(JSON.stringify({ auths: { 'bad host': {}, 'ok.example': {} } })), ['ok.example']);
  });

  it('drops an http:// scheme as well as https:// (a plain-HTTP registry logged in with its URL), but only at the start of a key', () => {
    const config = JSON.stringify({ auths: { 'http://registry.lan:5000': {}, 'https://registry.example/v2/': {} } });
    assert.deepEqual(loggedInRegistries(config), ['registry.example', 'registry.lan:5000']);
    // Two keys run together by a hand edit: no registry of that name exists, so none is listed.
    assert.deepEqual(loggedInRegistries(JSON.stringify({ auths: { 'registry.examplehttps://registry.lan:5000': {} } })), []);
  });
});

describe('where certificates go and what a failure means', () => {
  it('names nerdctl\'s default hosts dirs: /etc for a rootful nerdctl, the config home for a rootless one', () => {
    assert.deepEqual(hostsDirectories(false, '/home/u/.config'), ['/etc/containerd/certs.d', '/etc/docker/certs.d']);
    assert.deepEqual(hostsDirectories(true, '/home/u/.config'), ['/home/u/.config/containerd/certs.d']);
  });

  const advice = (stderr: string): string | undefined => registryFailureAdvice('r.example:5000', stderr, '/etc/containerd/certs.d');

  it('an unknown CA: where to put the CA (certs.d layout or hosts.toml), for this host', () => {
    const text = advice('level=fatal msg="failed to do request: Head \\"https://r.example:5000/v2/\\": tls: failed to verify certificate: x509: certificate signed by unknown authority"') ?? '';
    assert.match(text, /^containerd does not trust the certificate of r\.example:5000\./);
    assert.ok(text.includes('/etc/containerd/certs.d/r.example:5000/ca.crt'), text);
    assert.ok(text.includes('/etc/containerd/certs.d/r.example:5000/hosts.toml'), text);
    assert.ok(text.includes('server = "https://r.example:5000"\n  [host."https://r.example:5000"]\n    ca = "/path/to/ca.crt"'), text);
    assert.ok(text.endsWith('nerdctl reads that folder (its hosts_dir setting in nerdctl.toml says where); no daemon restart is needed.'), text);
    assert.match(advice('x509: certificate is not trusted') ?? '', /does not trust/);
  });

  it('a certificate for another name: reissue it for this host (not "trust the CA", though both say "failed to verify certificate")', () => {
    const text = advice('tls: failed to verify certificate: x509: certificate is valid for 192.0.2.9, not 192.0.2.2') ?? '';
    assert.match(text, /^The certificate r\.example:5000 presents is not issued for that name: .* with r\.example in its subject alternative names\.$/);
    assert.match(advice('x509: certificate is not valid for any names, but wanted to match r.example') ?? '', /not issued for that name/);
    // An IPv6 registry: only the port goes, the address keeps its colons.
    const v6 = registryFailureAdvice('[fd00::5]:5000', 'x509: certificate is valid for registry.lan, not fd00::5', '/etc/containerd/certs.d') ?? '';
    assert.match(v6, / with \[fd00::5\] in its subject alternative names\.$/);
  });

  it('plain HTTP, refused or missing logins, and unreachable hosts each get their own advice', () => {
    assert.match(advice('http: server gave HTTP response to HTTPS client') ?? '', /^r\.example:5000 speaks plain HTTP\..*--insecure-registry.*server = "http:\/\/r\.example:5000"/);
    for (const stderr of ['401 Unauthorized', 'error="too many 401 (probably)"', 'unauthorized: authentication required', 'incorrect username or password', 'authorization failed: no basic auth credentials', 'pull access denied, repository does not exist', 'push access denied']) {
      assert.match(advice(stderr) ?? '', /^r\.example:5000 did not accept the request without a valid login: log in \(containerd: Log In to Registry…\)/, stderr);
    }
    for (const stderr of ['dial tcp 192.0.2.2:5000: connect: connection refused', 'lookup r.example: no such host', 'i/o timeout', 'connect: network is unreachable']) {
      assert.match(advice(stderr) ?? '', /^r\.example:5000 cannot be reached from this machine/, stderr);
    }
    assert.equal(advice('level=fatal msg="something else"'), undefined);
  });
});

describe('pushing every platform', () => {
  it('only when each platform\'s content is here (else nerdctl reduces the push to this machine\'s platform)', () => {
    assert.equal(pushesEveryPlatform([{ available: true }, { available: true }]), true);
    assert.equal(pushesEveryPlatform([{ available: true }]), true);
    assert.equal(pushesEveryPlatform([{ available: true }, { available: false }]), false);
    assert.equal(pushesEveryPlatform([]), false);
  });
});
