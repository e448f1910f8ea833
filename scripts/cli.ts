// `npm run cli -- <command>`: the operator CLI. Exit 0 done, 1 failed, 2 usage error.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import {
  cobCommand,
  monthEndsCommand,
  describeError,
  importFile,
  recomputeCommand,
  settingsSet,
  settingsShow,
  tokenCreate,
  tokenList,
  tokenRevoke,
  UsageError,
  userCreate,
  userLinkSso,
} from "../lib/cli/commands";
import { closeDb, createDb } from "../lib/db/client";
import { redisConnection } from "../lib/pipeline/queues";
import { openQueues } from "../lib/registry";
import { applyLocalRuntime } from "../lib/runtime/localEnv";
import { signalsCommand } from "../lib/signals/cli";
import { activeLexicon } from "../lib/signals/versions";
import { refuseTestHooksInProduction } from "../lib/env";

const USAGE = `usage: npm run cli -- <command>
  user create --username U --role rm|supervisor|hr|admin|integration [--branch CODE] [--name "Display name"] [--email E]
                (password prompted, or read from stdin when piped); rm and supervisor need --branch;
                integration is the core banking feed's service account: it writes customers, loans and repayments
                through /api/v1 with a token (token create) and cannot sign in to the screens
  user link-sso --user U --issuer I --subject S
                                            binds a single sign-on identity (the ID token's iss and sub) to a user
  token create --user U --name LABEL [--days N]
                                            prints a new API token for that user (shown once); it expires after
                                            N days (default 90)
  token list --user U                       that user's tokens: id, name, created, last used, expiry, state
  token revoke <id>                         revokes one token at once
  import <customers|applications|loans|schedules|repayments> <file.csv|file.xlsx>
         [--dry-run] [--encoding auto|utf8|gbk] [--json] [--as-of YYYY-MM-DD]
                                            validates and writes the file (all or nothing); errors on stderr
  settings show                             the delinquency engine's configuration
  settings set <key> '<json>'               e.g. settings set delinquency.classification '{"specialMention":1,"substandard":91,"doubtful":181,"loss":361}'
  recompute [--as-of YYYY-MM-DD]            recomputes every loan's delinquency state (the nightly job does this at 01:00)
  cob [--as-of YYYY-MM-DD]                  runs the warning rules over the portfolio (nightly at 02:00) through the
                                            workers and waits, printing progress; exit 0 when the run succeeded
  month-ends [--as-of YYYY-MM-DD] [--months N] [--force]
                                            writes the dashboard's month-end snapshots (each loan's class and
                                            balance) for the N month-ends before the date (default 13) that are
                                            missing, or all of them with --force (the nightly run writes new ones)
  signals "<text>"                          the text signals in one follow-up note (zh or en) as JSON: each signal
                                            with its reason family, polarity and evidence (sentence, span); reads the
                                            note from stdin when the text is "-" or left out`;

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = "";
    for await (const chunk of process.stdin) data += chunk;
    return data.replace(/\r?\n$/, "");
  }
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      // Hide what is typed: echo nothing after the prompt.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(q)) process.stdout.write(q);
      };
      rl.question(q, (a) => {
        rl.close();
        process.stdout.write("\n");
        resolve(a);
      });
    });
  const a = await ask("Password: ");
  const b = await ask("Repeat password: ");
  if (a !== b) throw new UsageError("the passwords do not match");
  return a;
}

async function main(argv: string[]): Promise<number> {
  const [group, ...tail] = argv;
  // `recompute` and `cob` have no verb: everything after them is options.
  const noVerb = group === "recompute" || group === "cob" || group === "month-ends";
  const verb = noVerb ? undefined : tail[0];
  const rest = noVerb ? tail : tail.slice(1);
  if (!group || group === "help" || group === "--help") {
    console.log(USAGE);
    return group ? 0 : 2;
  }
  // With a database, the active lexicon version; without one (or when it cannot be read), the built-in file.
  if (group === "signals") {
    let text = tail.join(" ");
    if (!text || text === "-") for await (const chunk of process.stdin) text = (text === "-" ? "" : text) + chunk;
    if (process.env.DATABASE_URL) {
      const db = createDb(process.env.DATABASE_URL, 1);
      try {
        await activeLexicon(db);
      } catch (e) {
        console.error(`warning: the active lexicon could not be read (${describeError(e)}); using the built-in one`);
      } finally {
        await closeDb(db);
      }
    }
    console.log(signalsCommand(text));
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      username: { type: "string" },
      role: { type: "string" },
      branch: { type: "string" },
      name: { type: "string" },
      email: { type: "string" },
      user: { type: "string" },
      days: { type: "string" },
      issuer: { type: "string" },
      subject: { type: "string" },
      "dry-run": { type: "boolean" },
      encoding: { type: "string" },
      json: { type: "boolean" },
      "as-of": { type: "string" },
      months: { type: "string" },
      force: { type: "boolean" },
    },
    strict: true,
    allowPositionals: group === "import" || group === "settings" || (group === "token" && verb === "revoke"),
  });
  applyLocalRuntime();
  refuseTestHooksInProduction(process.env);
  const url = process.env.DATABASE_URL;
  if (!url) throw new UsageError("DATABASE_URL is not set (or run `npm start` first, which writes .data/runtime.json)");
  const db = createDb(url, 2);
  try {
    if (group === "user" && verb === "create") {
      if (!values.username || !values.role) throw new UsageError("--username and --role are required");
      console.log(await userCreate(db, values, await readPassword()));
    } else if (group === "user" && verb === "link-sso") {
      console.log(await userLinkSso(db, values));
    } else if (group === "token" && verb === "create") {
      console.log(await tokenCreate(db, values));
    } else if (group === "token" && verb === "list") {
      console.log(await tokenList(db, values));
    } else if (group === "token" && verb === "revoke") {
      if (positionals.length !== 1) throw new UsageError("token revoke takes one <id>");
      console.log(await tokenRevoke(db, positionals[0]));
    } else if (group === "import") {
      if (positionals.length > 1) throw new UsageError("import takes one <kind> and one <file>");
      const locale = process.env.LANG?.startsWith("zh") ? "zh" : "en";
      const opts = { kind: verb, file: positionals[0], dryRun: values["dry-run"], encoding: values.encoding, asOf: values["as-of"], json: values.json, locale };
      const out = await importFile(db, opts);
      for (const line of out.stderr) console.error(line);
      for (const line of out.stdout) console.log(line);
      return out.code;
    } else if (group === "settings" && verb === "show") {
      console.log(await settingsShow(db));
    } else if (group === "settings" && verb === "set") {
      console.log(await settingsSet(db, positionals[0], positionals[1]));
    } else if (group === "recompute") {
      console.log(await recomputeCommand(db, values["as-of"]));
    } else if (group === "month-ends") {
      console.log(await monthEndsCommand(db, { asOf: values["as-of"], months: values.months, force: values.force }));
    } else if (group === "cob") {
      const redisUrl = process.env.REDIS_URL;
      if (!redisUrl) throw new UsageError("REDIS_URL is not set (or run `npm start` first, which writes .data/runtime.json)");
      const queues = openQueues(redisConnection(redisUrl, "producer"), process.env.QUEUE_PREFIX ?? "churnwatch");
      try {
        return await cobCommand(db, queues, values["as-of"], (line) => console.log(line));
      } finally {
        await queues.close();
        await queues.connection.quit();
      }
    } else {
      throw new UsageError(`unknown command: ${[group, verb].filter(Boolean).join(" ")}`);
    }
    return 0;
  } finally {
    await closeDb(db);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(`error: ${describeError(e)}`);
    if (usage) console.error(USAGE);
    process.exit(usage ? 2 : 1);
  },
);
