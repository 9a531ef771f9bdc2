from pathlib import Path
import os
BASE_DIR = Path(__file__).resolve().parent.parent
# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-!c%j(o=)2wfchm37+mg+c3#()yx@**ok94tb$slt2ryi3dg307'
DEBUG = False
EMAIL_HOST = "smtp.corp.test"
EMAIL_HOST_USER = "noreply@corp.test"
EMAIL_HOST_PASSWORD = "Kangaroo6949&lsZ"
DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "UserAttributeSimilarityValidator"}]
