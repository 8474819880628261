"""The hasher of one-time passwords (listed in PASSWORD_HASHERS after Argon2, so it is never the default).

Why a cheaper one: « Réinitialiser les mots de passe » hashes one password per student in one request, and
Django's Argon2 costs 100 MiB and about a tenth of a second per hash (a school of 2 500: minutes of server time).
Why it is still safe:

- it is Argon2id (memory-hard, salted), only with a smaller memory and time cost (see ``memory_cost``);
- it only ever stores passwords drawn at random by the server (``accounts.one_time_passwords``: about 34 bits,
  no dictionary to try first), that log-in lockout (django-axes) protects online;
- such a password lives until the student's first log-in: the account must then choose its own, hashed with the
  default Argon2 (and Django re-hashes the one-time password with the default hasher on that log-in anyway).

bench/bench_password_reset.py measures both hashers and the whole reset of a class and of a school.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher

ONE_TIME_PASSWORD_HASHER = "argon2otp"


class OneTimePasswordHasher(Argon2PasswordHasher):
    algorithm = ONE_TIME_PASSWORD_HASHER
    time_cost = 1
    memory_cost = 4096  # KiB
    parallelism = 1
