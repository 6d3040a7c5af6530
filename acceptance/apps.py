from django.apps import AppConfig


class AcceptanceConfig(AppConfig):
    name = "acceptance"
    verbose_name = "验收复核"

    def ready(self):
        from cases.domain.hooks import on_facts_changed
        from cases.domain.next_step import on_chain_state
        from cases.domain.transitions import add_guard
        from cases.enums import CaseState

        from .domain.next_step import describe
        from .domain.services import check_chain_signatures
        from .domain.signing import void_changed_signatures

        # A case write that changed facts a signed form states voids those signatures in that same
        # write, with its actor and reason (cases never imports acceptance).
        on_facts_changed(void_changed_signatures)

        # A case whose signed forms no longer match its facts may not go on to publicity,
        # close-out or filing: the chain restarts at that step (docs/rules.md §5).
        for state in (CaseState.PUBLICIZED, CaseState.CLOSED, CaseState.FILED):
            add_guard(state, check_chain_signatures)

        # The case page's 下一步 panel for the chain's states (cases never imports acceptance).
        on_chain_state(describe)
