import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('bob', 'Kangaroo4600!Ahh')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
