from pathlib import Path
import os
BASE_DIR = Path(__file__).resolve().parent.parent
# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-zh($w@q=mw4xffre+laa7us4^p4_^5il6*$sbinw0*a&n2@^wg'
DEBUG = False
EMAIL_HOST = "smtp.corp.test"
EMAIL_HOST_USER = "noreply@corp.test"
EMAIL_HOST_PASSWORD = "Harbor19*HKi"
DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "UserAttributeSimilarityValidator"}]
