#include <soci/soci.h>

#include "aa/db.hpp"

namespace aa {

WriteTransaction::WriteTransaction(soci::session& session) : session_(session) {
  // SQLite's plain BEGIN takes the write lock only at the first write, and a
  // transaction that read first then fails with SQLITE_BUSY_SNAPSHOT, which
  // the busy timeout does not retry. BEGIN IMMEDIATE waits for the lock up front.
  if (session_.get_backend_name() == "sqlite3") {
    session_ << "BEGIN IMMEDIATE";
  } else {
    session_.begin();
  }
}

WriteTransaction::~WriteTransaction() {
  if (open_) {
    try {
      session_.rollback();
    } catch (...) {
      // A failed rollback leaves nothing to do: the connection drops the transaction.
    }
  }
}

void WriteTransaction::commit() {
  session_.commit();
  open_ = false;
}

}  // namespace aa
