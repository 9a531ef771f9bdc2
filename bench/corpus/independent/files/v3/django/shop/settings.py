from pathlib import Path
import os
BASE_DIR = Path(__file__).resolve().parent.parent
# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-k14jd=@r@fg42@)28do=b6liak^!151$^zayd+nem(p^oa#13c'
DEBUG = False
EMAIL_HOST = "smtp.corp.test"
EMAIL_HOST_USER = "noreply@corp.test"
EMAIL_HOST_PASSWORD = "Moonlight5094#Z6y"
DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "UserAttributeSimilarityValidator"}]
