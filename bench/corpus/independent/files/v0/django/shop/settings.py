from pathlib import Path
import os
BASE_DIR = Path(__file__).resolve().parent.parent
# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-w5x&dm&%o174mc-vcfrwh5j67l%g7$jyitn@+v4f4vzn)wb55m'
DEBUG = False
EMAIL_HOST = "smtp.corp.test"
EMAIL_HOST_USER = "noreply@corp.test"
EMAIL_HOST_PASSWORD = "Tr0ub4dor8173*Wgv"
DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "UserAttributeSimilarityValidator"}]
