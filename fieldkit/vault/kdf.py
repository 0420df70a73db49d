"""Password → key-encryption key with argon2id (memory-hard: each guess costs 64 MiB and ~0.1 s here).

The parameters are stored with every wrap, so raising them later only affects passwords set later.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw

# OWASP's argon2id floor is m=19 MiB, t=2; we take more memory because the laptop has it and an
# attacker's GPU does not have much per core. ~95 ms on this 2-core VM (docs/security.md).
DEFAULT_TIME_COST = 3
DEFAULT_MEMORY_KIB = 64 * 1024
DEFAULT_PARALLELISM = 2
KEY_LEN = 32


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    time_cost: int = DEFAULT_TIME_COST
    memory_kib: int = DEFAULT_MEMORY_KIB
    parallelism: int = DEFAULT_PARALLELISM

    @classmethod
    def fresh(cls) -> KdfParams:
        return cls(salt=os.urandom(16))

    def derive(self, password: str) -> bytes:
        return hash_secret_raw(
            password.encode("utf-8"),
            self.salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=KEY_LEN,
            type=Type.ID,
        )

    def to_json(self) -> dict[str, Any]:
        from fieldkit.vault.encoding import b64

        return {
            "alg": "argon2id",
            "salt": b64(self.salt),
            "t": self.time_cost,
            "m": self.memory_kib,
            "p": self.parallelism,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KdfParams:
        from fieldkit.vault.encoding import unb64
        from fieldkit.vault.errors import VaultError

        if data.get("alg") != "argon2id":
            raise VaultError(f"密钥文件中的口令算法 {data.get('alg')!r} 不受支持")
        return cls(unb64(data["salt"]), int(data["t"]), int(data["m"]), int(data["p"]))
