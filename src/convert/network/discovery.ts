/**
 * Names a config file resolves to every address, not to one: Prometheus `dns_sd_configs` (`names: [loki]`, `type:
 * A`) scrapes each address as a target of its own, and a memberlist `join_members` list (Loki, Tempo, Mimir:
 * `- loki`, `dns+loki:7946`; or the `-memberlist.join=loki:7946` flag of their command) joins each address it resolves. In compose a scaled service's name resolves to every
 * replica; behind a ClusterIP Service it is one virtual IP, so Prometheus would scrape one replica at a time and a
 * joining node would reach one random replica. network/reach.ts records them (Reach.discovered); objects/services.ts
 * makes such a Service headless. Read by lines (the core parses no YAML): block or flow lists.
 */

/** A name a config resolves to every address, and the setting that does, as the file names it. */
export interface Discovered {
  name: string;
  via: 'dns_sd_configs' | 'join_members' | '-memberlist.join';
}

/**
 * The service a memberlist member address names, if any: `loki`, `loki:7946`, `dns+loki:7946` (A/AAAA records, as a
 * plain name); an SRV lookup (`dnssrv+`) names no service. One rule for the config key and the command-line flag.
 */
function memberName(item: string): string | undefined {
  return /^(?:dns\+)?([A-Za-z0-9_][\w.-]*)(?::\d+)?$/.exec(item)?.[1];
}

/**
 * The names the memberlist flags of command line `words` join (`-memberlist.join=loki:7946`, `--memberlist.join
 * dns+tempo:7946`, repeatable), as Loki, Mimir and Tempo accept them instead of `join_members`.
 */
export function joinedByFlags(words: string): Discovered[] {
  const out: Discovered[] = [];
  for (const m of words.matchAll(/(?<!\S)--?memberlist\.join(?:=|\s+)(["']?)([^\s"']+)\1(?!\S)/g)) {
    const name = memberName(m[2]!);
    if (name) out.push({ name, via: '-memberlist.join' });
  }
  return out;
}

/** The names the `dns_sd_configs` blocks (their `names`) and `join_members` lists of a configuration text hold. */
export function discoveredNames(text: string): Discovered[] {
  if (!text.includes('dns_sd_configs') && !text.includes('join_members')) return [];
  const out: Discovered[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^[\s-]*join_members\s*:/.test(line))
      for (const item of listAt(lines, i)) {
        const name = memberName(item);
        if (name) out.push({ name, via: 'join_members' });
      }
    if (!/^[\s-]*dns_sd_configs\s*:\s*(#.*)?$/.test(line)) continue;
    const block = indent(line);
    for (let j = i + 1; j < lines.length; j++) {
      const inner = lines[j]!;
      if (!inner.trim() || inner.trim().startsWith('#')) continue;
      if (indent(inner) <= block) break;
      if (/^[\s-]*names\s*:/.test(inner))
        for (const name of listAt(lines, j)) if (!name.includes(':')) out.push({ name, via: 'dns_sd_configs' });
    }
  }
  return out;
}

/** Leading spaces and list dashes: how deep a line is. */
function indent(line: string): number {
  return /^[\s-]*/.exec(line)![0].length;
}

/** The items of the list the key on line `i` holds: a flow list after it, or the block list below it. */
function listAt(lines: readonly string[], i: number): string[] {
  const value = /:\s*(.*?)\s*(#.*)?$/.exec(lines[i]!)![1]!;
  const flow = /^\[(.*)\]$/.exec(value);
  if (flow) return flow[1]!.split(',').map(unquote).filter(Boolean);
  if (value) return [];
  // A block list sits below the key, or at its indentation (`names:` / `- a`): its dashes never left of the key's
  // name. A key that is itself a list item's (`  - join_members:`) is followed by its list's next item further left
  // (`  - consul`), a sibling, not a member.
  const key = indent(lines[i]!);
  const out: string[] = [];
  for (let j = i + 1; j < lines.length; j++) {
    const line = lines[j]!;
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const item = /^\s*-\s+(.+?)\s*(#.*)?$/.exec(line);
    if (!item || /^\s*/.exec(line)![0].length < key || /^[\w.-]+\s*:(\s|$)/.test(item[1]!)) break;
    out.push(unquote(item[1]!));
  }
  return out;
}

function unquote(s: string): string {
  return s.trim().replace(/^(["'])(.*)\1$/, '$2');
}
