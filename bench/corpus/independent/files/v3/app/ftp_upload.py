import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('jenkins', 'Blue313#QbJ')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
