"""The case list's sortable columns; each order has a matching index (migrations 0006, 0012)."""

from qianshan.common.listing import Sorting, SortOption, rank_of

from .enums import CASE_STATE_ORDER

# 环节 in lifecycle order (an expression index on exactly this CASE, migration 0012)
CASE_STATE_RANK = rank_of("state", CASE_STATE_ORDER)

CASE_SORTS = {
    # the default: as the inspection teams number them (督察, 批次, 受理编号)
    "inspection": SortOption("督察", ("inspection_id", "batch", "receipt_no")),
    "receipt_no": SortOption("受理编号", ("receipt_no",)),
    "batch": SortOption("批次", ("batch", "receipt_no")),
    "deadline": SortOption("时限", ("deadline",)),
    "state": SortOption("环节", (CASE_STATE_RANK,)),
}
CASE_DEFAULT_SORT = "inspection"
# What the keyword box searches: pg_trgm GIN indexes on UPPER(column) (migration 0007) and the
# bigram GIN index on the three joined in this order (migration 0018: keep the two in step).
CASE_KEYWORD_FIELDS = ("receipt_no", "complaint", "handler")


def case_sorting(query) -> Sorting:
    return Sorting(CASE_SORTS, CASE_DEFAULT_SORT, query)
