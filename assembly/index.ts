// The core's exports: the plain-module ABI that host/core/ binds to. Every
// operation returns a result >= 0 or a negated error code (errors.ts); the
// error's details are at err_ptr(), an info record at info_ptr(), the host
// ids of released descriptions at released_ptr() (released_count() of them).

import { ERR } from "./errors";
import { INFO } from "./table";

export {
  tableNew as table_new, tableShare as table_share, tableFork as table_fork,
  tableDrop as table_drop, tableExec as table_exec, tableInfo as table_info,
  tableCount as table_count, tableNext as table_next,
  handleInsert as handle_insert, handleClose as handle_close, handleDup as handle_dup,
  handleTransfer as handle_transfer, handleRenumber as handle_renumber,
  handleBorrow as handle_borrow, handleBorrowInto as handle_borrow_into, handleRelease as handle_release,
  handleCheck as handle_check, handleNarrow as handle_narrow,
  handleSetCloexec as handle_set_cloexec, handleInfo as handle_info,
  descGetFlags as desc_get_flags, descSetFlags as desc_set_flags,
  descGetOffset as desc_get_offset, descSetOffset as desc_set_offset,
  scopeBegin as scope_begin, scopeEnd as scope_end,
  pollRegister as poll_register, pollReregister as poll_reregister,
  pollDeregister as poll_deregister,
  releasedPtr as released_ptr, releasedCount as released_count,
  descriptionCount as description_count,
} from "./table";

export function err_ptr(): usize { return ERR; }
export function info_ptr(): usize { return INFO; }
