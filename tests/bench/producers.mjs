// What the audit and configuration benches share: the sandbox's controls, and an instance of
// 10,000 organizations of which 2,000 share their modules with a specific consumer.

/** `control(path, method, body)`: the sandbox's /_sandbox/ API at `base`. */
export function controlOf(base) {
  return async (path, method = 'GET', body) => {
    const r = await fetch(`${base}/_sandbox/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    if (!r.ok) throw new Error(`/_sandbox/${path}: ${r.status}`);
    return r.status === 204 ? null : r.json();
  };
}

/** 2,000 producers: every fifth generated organization shares with the one before it. */
export async function twoThousandProducers(control) {
  const state = await control('state');
  for (const org of state.orgs) {
    const m = /^generated-(\d+)$/.exec(org.attributes.name);
    if (!m) continue;
    const i = Number(m[1]);
    org.admin['global-module-sharing'] = false;
    org.consumers = i % 5 === 0 ? [`generated-${String(i - 1).padStart(5, '0')}`] : [];
  }
  await control('state', 'PUT', state);
}
