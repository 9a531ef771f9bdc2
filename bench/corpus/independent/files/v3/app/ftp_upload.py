import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('www-data', 'Blue3042%1pk')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
