// A paged list's parameters as every list reads them from the query string: page from 1, 20 rows unless asked,
// at most `max` (the heavier the row, the lower).
import { z } from "zod";

export const paging = (max: number) => ({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(max).default(20),
});
