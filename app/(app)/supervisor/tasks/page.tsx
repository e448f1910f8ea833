import { getLocale, getTranslations } from "next-intl/server";
import { TaskBoard } from "@/components/board/TaskBoard";
import { PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { now } from "@/lib/tasks/api";
import { listTasks, taskBoard, taskQuerySchema } from "@/lib/tasks/queries";
import { listBranches } from "@/lib/users/service";
import { boardLink } from "@/components/board/boardLink";

// Supervisors see their branch (the scope does it); admins the same board over every branch, with a selector.
// The first view is rendered with its data; the browser refreshes it from the API afterwards.
type Search = Record<string, string | string[] | undefined>;

export default async function TaskBoardPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { actor, scope } = await guardPage(["supervisor", "admin"], "/supervisor/tasks");
  const t = await getTranslations("board");
  const en = (await getLocale()) === "en";
  const at = await now();
  const [allBranches, board, list] = await Promise.all([listBranches(db()), taskBoard(db(), scope, at), listTasks(db(), scope, taskQuerySchema.parse({ sort: "urgency" }), at)]);
  const branches = allBranches.map((b) => ({ id: b.id, name: b.name, nameEn: b.nameEn }));
  const own = actor.role === "supervisor" ? branches.find((b) => b.id === actor.branchId) : undefined;
  const link = boardLink(await searchParams);
  return (
    <>
      <PageTitle>{own ? t("titleBranch", { branch: en ? own.nameEn : own.name }) : t("title")}</PageTitle>
      <TaskBoard
        branches={actor.role === "admin" ? branches : []}
        fixedBranch={actor.role !== "admin"}
        initialBoard={board}
        initialList={{ rows: list.rows, total: list.total, now: at.toISOString() }}
        initialBranchId={actor.role === "admin" ? link.branchId : undefined}
        initialCell={link.cell}
        initialExtra={link.extra}
      />
    </>
  );
}
