from pathlib import Path
import os
BASE_DIR = Path(__file__).resolve().parent.parent
# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-4#8nc!5okxcx+nnsr-+)!dp=ca#1a7v)(iv138j*m1$zlj6o#)'
DEBUG = False
EMAIL_HOST = "smtp.corp.test"
EMAIL_HOST_USER = "noreply@corp.test"
EMAIL_HOST_PASSWORD = "Summer19#Axb"
DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "UserAttributeSimilarityValidator"}]
